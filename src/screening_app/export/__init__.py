"""Outputs made from stored assessments: plain text, PDF, FHIR."""
