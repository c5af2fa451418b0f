"""One module per screen, imported where it is opened so start-up loads only the home screen."""
