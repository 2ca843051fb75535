package serve

import (
	"bufio"
	"bytes"
	"fmt"
	"os"

	gossh "golang.org/x/crypto/ssh"

	"github.com/byova/byova/config"
)

// User is a person allowed on the SSH console, recognised by key alone.
type User struct {
	Name        string
	Role        string // config.RoleViewer or config.RoleOperator
	Fingerprint string // SHA256:… of the key they signed in with
}

// Label is what the header shows: "name · role".
func (u User) Label() string { return u.Name + " · " + u.Role }

// ReadOnly reports whether the user may not write to Webex.
func (u User) ReadOnly() bool { return u.Role != config.RoleOperator }

// Users maps public keys to users.
type Users struct {
	byKey map[string]User // key: the key's wire form
}

// LoadUsers parses every user's keys (authorized_keys lines, inline or from keys_file). A key
// listed for two users, a line with options byova would not enforce (from=, command=) or a
// certificate is an error: better refuse to start than admit someone differently than written.
func LoadUsers(us []config.ServeUserSettings) (*Users, error) {
	u := &Users{byKey: map[string]User{}}
	for _, cu := range us {
		lines := append([]string(nil), cu.Keys...)
		where := "serve.users." + cu.Name + ".keys"
		if cu.KeysFile != "" {
			b, err := os.ReadFile(cu.KeysFile)
			if err != nil {
				return nil, fmt.Errorf("serve.users.%s.keys_file: %w", cu.Name, err)
			}
			sc := bufio.NewScanner(bytes.NewReader(b))
			for sc.Scan() {
				lines = append(lines, sc.Text())
			}
			if len(lines) == len(cu.Keys) {
				return nil, fmt.Errorf("serve.users.%s.keys_file %s holds no key", cu.Name, cu.KeysFile)
			}
		}
		for i, line := range lines {
			trimmed := bytes.TrimSpace([]byte(line))
			if len(trimmed) == 0 || trimmed[0] == '#' {
				continue
			}
			pk, _, opts, _, err := gossh.ParseAuthorizedKey(trimmed)
			if err != nil {
				return nil, fmt.Errorf("%s line %d is not an authorized_keys line (%v): paste the .pub file's line", where, i+1, err)
			}
			if len(opts) > 0 {
				return nil, fmt.Errorf("%s line %d has options (%v) that byova serve does not enforce: remove them", where, i+1, opts)
			}
			if _, ok := pk.(*gossh.Certificate); ok {
				return nil, fmt.Errorf("%s line %d is a certificate: list the plain public key", where, i+1)
			}
			k := string(pk.Marshal())
			if prev, ok := u.byKey[k]; ok && prev.Name != cu.Name {
				return nil, fmt.Errorf("the key %s is listed for both %s and %s: a key must name one user", gossh.FingerprintSHA256(pk), prev.Name, cu.Name)
			}
			u.byKey[k] = User{Name: cu.Name, Role: cu.Role, Fingerprint: gossh.FingerprintSHA256(pk)}
		}
	}
	return u, nil
}

// Lookup finds the user holding key.
func (u *Users) Lookup(key gossh.PublicKey) (User, bool) {
	if u == nil || key == nil {
		return User{}, false
	}
	usr, ok := u.byKey[string(key.Marshal())]
	return usr, ok
}

// Len is how many keys are known.
func (u *Users) Len() int { return len(u.byKey) }
