"""Base templates, static assets, navigation, login and the home dashboard."""
