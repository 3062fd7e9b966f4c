"""Caller IDs: what a number is, who publishes it, whether it was faked, and what to do with the call."""
