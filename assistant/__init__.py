"""regassist: cited answers from China's municipal rules on government IT projects."""

__version__ = "0.1.0"
