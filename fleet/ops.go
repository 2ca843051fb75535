package fleet

// Audit operation names: the one list every front end writes to the audit log.
const (
	OpDataSourceCreate = "datasources.create"
	OpDataSourceUpdate = "datasources.update"
	OpDataSourceExtend = "datasources.extend"
	OpDataSourceDelete = "datasources.delete"
	OpWebhookCreate    = "webhooks.create"
	OpWebhookUpdate    = "webhooks.update"
	OpWebhookDelete    = "webhooks.delete"
	OpWebhookEnsure    = "webhooks.ensure"
)
