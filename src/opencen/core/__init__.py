"""The small framework every app uses: base models, access policy, permissions, errors."""
