"""interview-sim: practise an AI/ML engineering interview loop in the terminal."""

__version__ = "0.1.0"
