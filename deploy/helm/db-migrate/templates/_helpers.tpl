{{/*
Object names. With the release called "db-migrate" (docs/deploy.md) they are the kustomize install's
names: db-migrate-operator, db-migrate-operator-leases, db-migrate-operator-metrics. Another release
name is prefixed ("<release>-db-migrate-operator").
*/}}
{{- define "db-migrate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- printf "%s-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s-operator" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
The pods' selector: the kustomize install's, so that the Deployment's immutable selector is the
same whichever way the operator was installed.
*/}}
{{- define "db-migrate.selectorLabels" -}}
app.kubernetes.io/name: db-migrate
app.kubernetes.io/component: operator
{{- end -}}

{{/* Labels on every object: the kustomize install's, plus Helm's own. */}}
{{- define "db-migrate.labels" -}}
{{ include "db-migrate.selectorLabels" . }}
app.kubernetes.io/part-of: db-migrate
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Comma-separated, as the operator reads DB_MIGRATE_ALLOWED_HOSTS and its likes. */}}
{{- define "db-migrate.csv" -}}
{{- join "," . -}}
{{- end -}}

{{/* The RBAC rules, shared by the cluster-wide ClusterRole and the namespaced Roles. */}}
{{- define "db-migrate.rules" -}}
# Watch DatabaseMigrations (list+watch for kopf's watch stream), get one for re-reads, and patch
# it: kopf keeps its handler progress in annotations and adds/removes its finalizer.
- apiGroups: [migrations.es1.dev]
  resources: [databasemigrations]
  verbs: [get, list, watch, patch]
# Results go through the status subresource.
- apiGroups: [migrations.es1.dev]
  resources: [databasemigrations/status]
  verbs: [patch]
# The SQL of ConfigMap-sourced sets; watched, so an edit triggers a reconcile.
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch]
# The connection Secrets named in spec.connection, one by name: get only, and only Secrets whose
# owner opted in are used (docs/security.md).
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
# Events on DatabaseMigrations (kopf posts core/v1 events with a plain create).
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end -}}
