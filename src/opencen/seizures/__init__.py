"""The enforcement database: seizures and offences, without personal data."""
