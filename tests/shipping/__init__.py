"""Tests of the shipping artefacts: CRD, deploy/, ArgoCD health check, Dockerfile, Compose."""
