package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/byova/byova/config"
	"github.com/byova/byova/etcdstore"
	"github.com/byova/byova/keeper"
	"github.com/byova/byova/seal"
	"github.com/byova/byova/serve"
)

// storeSettings is [serve.store] checked (backend "file" when the block is absent).
func storeSettings(f *config.File) (config.StoreSettings, error) {
	var ss config.ServeStore
	if f != nil && f.Serve != nil {
		ss = f.Serve.Store
	}
	st, err := ss.Check(config.ConfigFile())
	if err != nil {
		return st, &usageError{err.Error()}
	}
	return st, nil
}

// tokenStore is the store [serve.store] names: tokens.json by default, etcd with backend =
// "etcd". The CLI and the terminal UI read the same setting as serve, so an operator's command
// and the console see one store.
func (a *app) tokenStore(f *config.File) (config.TokenStore, error) {
	st, err := storeSettings(f)
	if err != nil {
		return nil, err
	}
	if st.Backend != config.BackendEtcd {
		return config.NewStore(config.TokenFile()), nil
	}
	return a.openEtcd(st)
}

func (a *app) openEtcd(st config.StoreSettings) (*etcdstore.Store, error) {
	log, err := a.logger()
	if err != nil {
		return nil, err
	}
	s, err := etcdstore.Open(context.Background(), etcdstore.Options{Settings: st, Log: log})
	if err != nil {
		return nil, err
	}
	prev := a.closeStore
	a.closeStore = func() {
		s.Close()
		if prev != nil {
			prev()
		}
	}
	return s, nil
}

func (a *app) storeCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "store", Short: "The token store's backend (file by default, etcd for several serve replicas)", Args: noArgs}
	cmd.AddCommand(a.storeStatusCmd(), a.storeKeygenCmd(), a.storeMigrateCmd())
	return cmd
}

func (a *app) storeKeygenCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "keygen FILE",
		Short: "Write a new seal key (32 random bytes, mode 0600) for [serve.store] seal_key_files",
		Long: `Write a new seal key: 32 random bytes, mode 0600. An existing file is never replaced.

Every replica needs the same key file. To rotate: make a new key, list it first in
seal_key_files = [new, old] on every replica (new values are sealed with it, old ones still
open), restart them one by one; drop the old key once no entry is sealed with it
(byova store status counts entries per key id).`,
		Example: "  byova store keygen /etc/byova/seal.key",
		Args:    exactArgs(1, "the key file to write"),
		RunE: func(_ *cobra.Command, args []string) error {
			id, err := seal.WriteKeyFile(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "seal key %s written to %s (mode 0600); copy it to every replica and list it in [serve.store] seal_key_files\n", id, args[0])
			return nil
		},
	}
}

func (a *app) storeStatusCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status [--json]",
		Short: "The backend, its endpoints, the keeper's leader, the revision, sealed entries and key ids",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, f, err := a.settings()
			if err != nil {
				return err
			}
			st, err := storeSettings(f)
			if err != nil {
				return err
			}
			host, _ := os.Hostname()
			if st.Backend != config.BackendEtcd {
				out := map[string]any{"backend": config.BackendFile, "path": config.TokenFile(), "replica": host}
				if asJSON {
					return printJSON(a.stdout, out)
				}
				fmt.Fprintf(a.stdout, "backend   file\npath      %s\nreplica   %s (one serve; the keeper always runs)\n", config.TokenFile(), host)
				return nil
			}
			s, err := a.openEtcd(st)
			if err != nil {
				return err
			}
			status, err := s.Status(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, map[string]any{"backend": config.BackendEtcd, "endpoints": status.Endpoints,
					"prefix": status.Prefix, "leader": status.Leader, "replica": host, "revision": status.Revision,
					"tokens": status.Tokens, "sealed": status.Sealed, "unsealed": status.Unsealed, "keyIds": status.KeyIDs})
			}
			leader := status.Leader
			if leader == "" {
				leader = "none (no serve replica campaigns)"
			}
			w := a.stdout
			fmt.Fprintf(w, "backend   etcd\nendpoints %s\nprefix    %s\nleader    %s\nreplica   %s\nrevision  %d\n",
				strings.Join(status.Endpoints, ", "), status.Prefix, leader, host, status.Revision)
			fmt.Fprintf(w, "entries   %d tokens and client secrets\n", status.Tokens)
			for _, id := range status.SealedIDs() {
				fmt.Fprintf(w, "sealed    %d under key %s\n", status.Sealed[id], id)
			}
			if status.Unsealed > 0 {
				fmt.Fprintf(w, "unsealed  %d values under the prefix are not byova's sealed values\n", status.Unsealed)
			}
			fmt.Fprintf(w, "keys      %s (this replica; the first seals)\n", strings.Join(status.KeyIDs, ", "))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) storeMigrateCmd() *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "migrate --from file|etcd --to file|etcd",
		Short: "Copy every token (and the SSH host key) from one backend to the other, check it, leave the source as it was",
		Long: `Copy every token, client secret and the SSH host key from one backend to the other, then
read the copy back and compare it entry by entry. The source is left as it was; the target
must hold no token yet. Stop byova serve first. The etcd side is the one [serve.store] names
(backend may still say "file" while you migrate to etcd); the file side is tokens.json.`,
		Example: "  byova store migrate --from file --to etcd",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains([]string{config.BackendFile, config.BackendEtcd}, from) || !slices.Contains([]string{config.BackendFile, config.BackendEtcd}, to) || from == to {
				return usagef("give --from file --to etcd, or --from etcd --to file (got --from %q --to %q)", from, to)
			}
			_, f, err := a.settings()
			if err != nil {
				return err
			}
			var ss config.ServeStore
			if f != nil && f.Serve != nil {
				ss = f.Serve.Store
			}
			ss.Backend = config.BackendEtcd
			st, err := ss.Check(config.ConfigFile())
			if err != nil {
				return &usageError{err.Error()}
			}
			es, err := a.openEtcd(st)
			if err != nil {
				return err
			}
			n, err := migrate(config.NewStore(config.TokenFile()), es, from)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "copied and checked %d entries from %s to %s; %s is unchanged\n", n, from, to, from)
			hk, err := migrateHostKey(es, filepath.Dir(config.TokenFile()), from)
			if err != nil {
				return err
			}
			if hk != "" {
				fmt.Fprintln(a.stdout, hk)
			}
			if to == config.BackendEtcd {
				fmt.Fprintf(a.stdout, "now set [serve.store] backend = \"etcd\" in %s on every replica\n", config.ConfigFile())
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the backend to copy from: file or etcd")
	cmd.Flags().StringVar(&to, "to", "", "the backend to copy to: file or etcd")
	return cmd
}

// migrate copies every entry from one store to the other and checks the copy.
func migrate(file *config.Store, etcd *etcdstore.Store, from string) (int, error) {
	var src, dst config.TokenStore = file, etcd
	if from == config.BackendEtcd {
		src, dst = etcd, file
	}
	t, err := src.Load()
	if err != nil {
		return 0, err
	}
	want := canonical(t)
	if from == config.BackendFile {
		if _, err := etcd.Import(t); err != nil {
			return 0, err
		}
	} else {
		err := file.Update(func(cur *config.Tokens) error {
			if n := len(canonical(cur)); n > 0 {
				return fmt.Errorf("%s already holds %d entries: migrate copies into an empty store only (move it aside first)", file.Path(), n)
			}
			cur.Profiles = t.Profiles
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	back, err := dst.Load()
	if err != nil {
		return 0, fmt.Errorf("reading the copy back: %w", err)
	}
	got := canonical(back)
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			return 0, fmt.Errorf("the copy of %s in %s differs from the source: the source is unchanged; run migrate again into an empty store", k, dst.Path())
		}
	}
	if len(got) != len(want) {
		return 0, fmt.Errorf("the copy in %s holds %d entries, the source %d", dst.Path(), len(got), len(want))
	}
	return len(want), nil
}

// canonical is every entry of t by name (profile/kind/org, profile/secret/client), as JSON.
func canonical(t *config.Tokens) map[string]string {
	out := map[string]string{}
	enc := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	for name, ps := range t.Profiles {
		if ps == nil {
			continue
		}
		if ps.Integration != nil {
			out[name+"/integration"] = enc(ps.Integration)
		}
		if ps.PAT != nil {
			out[name+"/pat"] = enc(ps.PAT)
		}
		for org, tok := range ps.Orgs {
			if tok != nil {
				out[name+"/service-app/"+org] = enc(tok)
			}
		}
		for id, sec := range ps.ClientSecrets {
			out[name+"/client-secret/"+id] = enc(sec)
		}
	}
	return out
}

// migrateHostKey copies the SSH host key to etcd so the replicas keep the fingerprint clients
// already trust ("" when there is none to copy). Back to file, the key stays in etcd and the
// file side keeps its own.
func migrateHostKey(es *etcdstore.Store, dir, from string) (string, error) {
	if from != config.BackendFile {
		return "", nil
	}
	b, err := os.ReadFile(filepath.Join(dir, serve.HostKeyName))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	got, created, err := es.LoadOrCreate(serve.HostKeyName, func() ([]byte, error) { return b, nil })
	if err != nil {
		return "", err
	}
	if !created && string(got) != string(b) {
		return "the etcd store already had another SSH host key: replicas answer with that one (clients see a new fingerprint)", nil
	}
	return "SSH host key copied: every replica answers with the fingerprint clients know", nil
}

// election is the keeper's election when the session's store is etcd (nil otherwise), and a
// hook that records the store's metrics in serve's registry once serve is built.
func election(sess config.TokenStore, ss config.ServeSettings, log *slog.Logger) (keeper.Leader, func(*serve.Server)) {
	es, ok := sess.(*etcdstore.Store)
	if !ok {
		return nil, func(*serve.Server) {}
	}
	host, _ := os.Hostname()
	name := fmt.Sprintf("%s pid %d", host, os.Getpid())
	for _, l := range []struct{ what, addr string }{{"ssh", ss.SSHAddr}, {"http", ss.HTTPAddr}} {
		if l.addr != "" {
			name += " " + l.what + " " + l.addr
		}
	}
	return etcdstore.NewElector(es, name, log), func(srv *serve.Server) {
		es.SetMetrics(etcdstore.NewMetrics(srv.Metrics().Registry()))
	}
}
