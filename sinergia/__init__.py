"""Sinergia: a platform on which museums and cultural bodies form networks and work as one."""
