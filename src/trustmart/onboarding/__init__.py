"""Onboarding a platform's own export: suggesting contract codes for its
values, profiling an export and drafting its config (`trustmart init`)."""
