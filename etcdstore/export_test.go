package etcdstore

// AuditOf is auditOf, for the external tests.
var AuditOf = auditOf
