package config

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/google/uuid"
)

// aliasPattern keeps an alias easy to type on a command line and safe to print.
// It is compiled on first use, as userName is: every command runs config's init, few check names.
var aliasPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`) })

// loadOrgs turns the raw `orgs` key into Aliases (a table) or Orgs (the older list form),
// refusing anything else. Every alias must name an org by its UUID, and no two aliases may
// name the same org: a name must lead to one org and an org show one name.
func (p *Profile) loadOrgs(profile string) error {
	raw := p.RawOrgs
	p.RawOrgs = nil
	key := "profiles." + profile + ".orgs"
	switch v := raw.(type) {
	case nil:
		return nil
	case []any:
		for i, o := range v {
			s, ok := o.(string)
			if !ok || strings.TrimSpace(s) == "" {
				return fmt.Errorf("%s[%d]: want an org UUID, or make %s a table of aliases (acme = \"<org UUID>\")", key, i, key)
			}
			if !slices.Contains(p.Orgs, strings.TrimSpace(s)) {
				p.Orgs = append(p.Orgs, strings.TrimSpace(s))
			}
		}
		return nil
	case map[string]any:
		p.Aliases = make(map[string]string, len(v))
		names := make([]string, 0, len(v))
		for name := range v {
			names = append(names, name)
		}
		sort.Strings(names)
		byOrg := map[string]string{}
		for _, name := range names {
			if err := CheckAlias(name); err != nil {
				return fmt.Errorf("%s.%q: %v", key, name, err)
			}
			s, ok := v[name].(string)
			if !ok {
				return fmt.Errorf("%s.%s: want the org's UUID in quotes, e.g. %s = \"63b02f90-9cc6-43b8-aa6d-cad425ac554c\"", key, name, name)
			}
			u, err := parseOrgUUID(s)
			if err != nil {
				return fmt.Errorf("%s.%s: %v", key, name, err)
			}
			if other, dup := byOrg[u]; dup {
				return fmt.Errorf("%s: aliases %s and %s both name org %s; keep one", key, other, name, u)
			}
			byOrg[u] = name
			p.Aliases[name] = u
		}
		return nil
	}
	return fmt.Errorf("%s: want a table of aliases, e.g. [%s] then acme = \"<org UUID>\"", key, key)
}

// CheckAlias says whether name can be an org alias.
func CheckAlias(name string) error {
	if !aliasPattern().MatchString(name) {
		return fmt.Errorf("alias %q: use letters, digits, - and _ (up to 64, starting with a letter or digit)", name)
	}
	if _, err := uuid.Parse(name); err == nil {
		return fmt.Errorf("alias %q looks like an org UUID; pick a name", name)
	}
	return nil
}

// parseOrgUUID accepts exactly the 36-character UUID form (any case) and returns it in lower case.
func parseOrgUUID(s string) (string, error) {
	s = strings.TrimSpace(s)
	u, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		return "", fmt.Errorf("%q is not an org UUID (like 63b02f90-9cc6-43b8-aa6d-cad425ac554c; `byova orgs list` shows them)", s)
	}
	return u.String(), nil
}

// AliasOf returns the alias naming org (a UUID), or "".
func (p *Profile) AliasOf(org string) string {
	org = strings.ToLower(strings.TrimSpace(org))
	for name, u := range p.Aliases {
		if u == org {
			return name
		}
	}
	return ""
}
