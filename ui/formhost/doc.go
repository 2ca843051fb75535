// Package formhost runs a huh form inside a screen: it passes messages to huh and holds the
// keys typed while huh moves between fields, so fast typing and pastes land in the right field.
package formhost
