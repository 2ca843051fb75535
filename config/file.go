package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
)

// File is config.toml: the non-secret settings, one table per profile ([profiles.NAME]).
// Secrets never go here; they live in the token store.
type File struct {
	DefaultProfile string              `toml:"default_profile,omitempty"`
	Profiles       map[string]*Profile `toml:"profiles"`
	Serve          *Serve              `toml:"serve,omitempty"` // `byova serve`, see serve.go
	// Keys rebinds the terminal UI's keys: action = ["key", ...] (keys.go).
	Keys map[string][]string `toml:"keys,omitempty"`

	keyLines map[string]int // [keys]'s lines, for errors
}

// Profile is one named set of settings, e.g. a sandbox and a production Webex.
type Profile struct {
	BaseURL                string   `toml:"base_url,omitempty"`
	Org                    string   `toml:"org,omitempty"`        // last used org UUID (or an alias)
	Orgs                   []string `toml:"known_orgs,omitempty"` // orgs signed in to from here
	ReadOnly               bool     `toml:"readonly,omitempty"`
	IntegrationClientID    string   `toml:"integration_client_id,omitempty"`
	IntegrationRedirectURI string   `toml:"integration_redirect_uri,omitempty"`
	Scopes                 []string `toml:"scopes,omitempty"`
	ServiceAppClientID     string   `toml:"service_app_client_id,omitempty"`
	ServiceAppID           string   `toml:"service_app_id,omitempty"` // Hydra application id if the user set it
	JWKSURL                string   `toml:"jwks_url,omitempty"`       // key set for `datasources verify`
	WarnWithin             string   `toml:"warn_within,omitempty"`    // expiry warning window, e.g. "1h" (see WarnWindow)
	ExtendWithin           string   `toml:"extend_within,omitempty"`  // the TUI's X window (watch.go)
	Refresh                string   `toml:"refresh,omitempty"`        // the TUI's data sources reload interval; "0" off
	Bell                   *bool    `toml:"bell,omitempty"`           // ring on a token entering the warning band; default on

	// Aliases names orgs: [profiles.NAME.orgs] acme = "<org UUID>". Read from and written to
	// RawOrgs by LoadFile and Save, which check every alias and UUID.
	Aliases map[string]string `toml:"-"`
	// RawOrgs is the `orgs` key as TOML holds it: the alias table, or (files written before
	// aliases existed) a list of known orgs, which loads into Orgs. Use Aliases instead.
	RawOrgs any `toml:"orgs,omitempty"`
}

// fileHeader is written on top of a config.toml byova creates. Saves edit an existing file in
// place (tomledit.go), so what a person wrote stays.
const fileHeader = "# byova settings (secrets are kept in the token store, not here).\n" +
	"# byova edits this file in place: comments, order and lines it does not change are kept.\n\n"

// LoadFile reads config.toml. A missing file is an empty File, not an error. A malformed file
// or an unknown key (a typo such as base_uri) is an error that names the file and the line.
// Reading takes no lock: saves replace the file by rename, so a reader sees a whole file.
func LoadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{Profiles: map[string]*Profile{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read settings %s: %w", path, err)
	}
	return parseFile(path, data)
}

func parseFile(path string, data []byte) (*File, error) {
	f := &File{}
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return nil, tomlError(path, err)
	}
	if f.Profiles == nil {
		f.Profiles = map[string]*Profile{}
	}
	for name, p := range f.Profiles {
		if p == nil {
			p = &Profile{}
			f.Profiles[name] = p
		}
		if err := p.loadOrgs(name); err != nil {
			return nil, &fileError{path: path, msg: err.Error() + "; fix the file", err: err}
		}
		if _, err := p.WarnWindow(); err != nil {
			return nil, &fileError{path: path, msg: fmt.Sprintf("profiles.%s.warn_within: %v", name, err), err: err}
		}
		if err := p.validateWatch(); err != nil {
			return nil, &fileError{path: path, msg: "profiles." + name + "." + err.Error(), err: err}
		}
	}
	if err := f.checkKeys(path, data); err != nil {
		return nil, err
	}
	return f, nil
}

// fileError prints a config.toml problem the way an editor would point at it and keeps the
// go-toml error underneath for errors.As.
type fileError struct {
	path string
	msg  string
	err  error
}

func (e *fileError) Error() string { return e.path + ": " + e.msg }
func (e *fileError) Unwrap() error { return e.err }

func tomlError(path string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var lines []string
		for _, de := range strict.Errors {
			line, _ := de.Position()
			key := strings.Join(de.Key(), ".")
			lines = append(lines, fmt.Sprintf("line %d: unknown key %q", line, key))
		}
		msg := strings.Join(lines, "; ") + "; check the spelling (known keys: " + knownKeys() + ")"
		return &fileError{path: path, msg: msg, err: err}
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		text := strings.TrimPrefix(de.Error(), "toml: ")
		msg := fmt.Sprintf("line %d, column %d: %s; fix the file or move it aside", line, col, text)
		return &fileError{path: path, msg: msg, err: err}
	}
	return &fileError{path: path, msg: err.Error(), err: err}
}

// knownKeys lists the keys config.toml accepts, taken from the struct tags so it cannot drift.
func knownKeys() string {
	keys := []string{"default_profile"}
	t := reflect.TypeFor[Profile]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ",")
		if name != "-" {
			keys = append(keys, "profiles.NAME."+name)
		}
	}
	keys = append(keys, serveKeys()...)
	keys = append(keys, "keys.ACTION")
	return strings.Join(keys, ", ")
}

// Profile returns the named profile, adding an empty one in memory if it is missing, so the
// caller can set fields and Save.
func (f *File) Profile(name string) *Profile {
	if f.Profiles == nil {
		f.Profiles = map[string]*Profile{}
	}
	p := f.Profiles[name]
	if p == nil {
		p = &Profile{}
		f.Profiles[name] = p
	}
	return p
}

// RememberOrg makes org the profile's last used org and adds it to the known orgs.
func (p *Profile) RememberOrg(org string) {
	org = strings.TrimSpace(org)
	if org == "" {
		return
	}
	p.Org = org
	if !slices.Contains(p.Orgs, org) {
		p.Orgs = append(p.Orgs, org)
	}
}

// Save writes f to path atomically (mode 0600, folder 0700 if created) while holding the
// file's lock. To change one setting without losing another process's edit, use UpdateFile.
func (f *File) Save(path string) error {
	unlock, err := acquireLock(path, true, defaultLockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	return f.write(path)
}

// UpdateFile re-reads config.toml under its lock, applies fn and saves the result, so two
// byova processes changing different settings do not undo each other. If fn returns an error
// nothing is written and that error is returned.
func UpdateFile(path string, fn func(*File) error) error {
	unlock, err := acquireLock(path, true, defaultLockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	f, err := LoadFile(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		return err
	}
	return f.write(path)
}

// write saves f; the caller holds path's lock, under which leftover temp files are swept. An
// existing file is edited in place, keeping what a person wrote; one that cannot be (a change
// spelled in a way the editor does not write) is left as it was, and the error says what to
// edit by hand.
func (f *File) write(path string) error {
	sweepTemps(path)
	tightenDir(filepath.Dir(path))
	want, err := toml.Marshal(f.wire())
	if err != nil {
		return fmt.Errorf("save settings %s: %w", path, err)
	}
	orig, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read settings %s: %w", path, err)
	}
	if len(bytes.TrimSpace(orig)) == 0 {
		return WriteFileAtomic(path, append([]byte(fileHeader), want...))
	}
	if _, err := parseFile(path, orig); err != nil {
		return err // a file that does not load is not saved over
	}
	body, err := editTOML(orig, want)
	if err == nil {
		err = sameSettings(path, body, want)
	}
	if err != nil {
		return fmt.Errorf("save settings %s: %w; nothing was written: make the change by hand (`byova doctor` checks the file)", path, err)
	}
	if bytes.Equal(body, orig) {
		return nil
	}
	return WriteFileAtomic(path, body)
}

// sameSettings checks that the edited text decodes to exactly the settings meant.
func sameSettings(path string, body, want []byte) error {
	got, err := parseFile(path, body)
	if err != nil {
		return fmt.Errorf("%w: the edited file would not load (%v)", errEdit, err)
	}
	b, err := toml.Marshal(got.wire())
	if err != nil {
		return err
	}
	if !bytes.Equal(b, want) {
		return fmt.Errorf("%w: the edit would not hold the settings meant", errEdit)
	}
	return nil
}

// wire is f the way TOML holds it: nil profiles dropped, each profile's Aliases in RawOrgs.
func (f *File) wire() File {
	out := File{DefaultProfile: f.DefaultProfile, Profiles: map[string]*Profile{}, Serve: f.Serve, Keys: f.Keys}
	for name, p := range f.Profiles {
		if p != nil {
			cp := *p
			cp.RawOrgs = nil
			if len(p.Aliases) > 0 {
				cp.RawOrgs = p.Aliases
			}
			out.Profiles[name] = &cp
		}
	}
	return out
}
