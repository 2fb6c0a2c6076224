"""Pipelines that turn source data into cube facts."""
