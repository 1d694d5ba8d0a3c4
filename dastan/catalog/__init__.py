"""Titles, people, credits, organisations and metadata in many languages."""
