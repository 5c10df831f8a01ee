"""The command line: thin shells that call the library and turn its errors into clean messages."""
