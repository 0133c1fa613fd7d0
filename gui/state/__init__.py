"""The state behind the window: stepper model, training, quiz, variables, the torch service.

It never imports panels/, window/ or canvas/ (an import-linter contract).
"""
