"""Coders at work: review actions with an audit trail, the review queue."""
