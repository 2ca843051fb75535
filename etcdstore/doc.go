// Package etcdstore is the etcd backend of [serve.store]: the token store, refresh locks, SSH
// host key, audit log and keeper election that several `byova serve` replicas share, every
// value sealed (package seal) so etcd holds ciphertext only.
package etcdstore
