"""The main window, its actions and key routing, documents and dialogs."""
