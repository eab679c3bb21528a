"""Accounts, roles and township scope: who may do what (permissions), signing in, API tokens, the first admin."""
