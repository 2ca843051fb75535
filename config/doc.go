// Package config finds byova's files (XDG), reads the TOML profiles, resolves settings
// (flag > environment > config file > default) and keeps secrets in a locked, atomic token store.
package config
