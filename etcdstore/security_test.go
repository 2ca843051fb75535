package etcdstore

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/etcd/api/v3/authpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/byova/byova/config"
	"github.com/byova/byova/etcdstore/etcdtest"
)

// pki is a CA made for one test and what it signed, as PEM files in a temporary folder.
type pki struct {
	dir    string
	ca     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	caFile string
}

func newPKI(t *testing.T) *pki {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "byova test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	p := &pki{dir: t.TempDir(), ca: ca, caKey: key}
	p.caFile = p.write(t, "ca.pem", "CERTIFICATE", der)
	return p
}

func (p *pki) write(t *testing.T, name, kind string, der []byte) string {
	t.Helper()
	f := filepath.Join(p.dir, name)
	if err := os.WriteFile(f, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// issue signs a certificate for name (a server's for 127.0.0.1, or a client's) and writes
// name.pem and name-key.pem.
func (p *pki) issue(t *testing.T, name string, server bool) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return p.write(t, name+".pem", "CERTIFICATE", der), p.write(t, name+"-key.pem", "PRIVATE KEY", kder)
}

func (p *pki) clientTLS(t *testing.T, certFile, keyFile string) *tls.Config {
	t.Helper()
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(p.ca)
	return &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}

// roundTrip stores a token through s and reads it back.
func roundTrip(t *testing.T, s *Store) {
	t.Helper()
	exp := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := s.Update(sa("o", "secret-access", exp)); err != nil {
		t.Fatal(err)
	}
	tk, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := tk.Profile("default").Orgs["o"]; got == nil || got.AccessToken != "secret-access" {
		t.Fatalf("read back %+v", got)
	}
}

// etcd serving clients over TLS with client certificates: ca_file, cert_file and key_file
// reach it; without a client certificate, or trusting another CA, Open fails, naming the
// store, and does not hang.
func TestStoreOverTLSWithClientCertificates(t *testing.T) {
	p := newPKI(t)
	srvCert, srvKey := p.issue(t, "etcd", true)
	cliCert, cliKey := p.issue(t, "byova", false)
	srv := etcdtest.StartTLS(t, etcdtest.TLS{CertFile: srvCert, KeyFile: srvKey, ClientCAFile: p.caFile,
		Client: p.clientTLS(t, cliCert, cliKey)})
	if !strings.HasPrefix(srv.Endpoint, "https://") {
		t.Fatalf("endpoint %s", srv.Endpoint)
	}
	kf := keyFile(t)
	st := settings(srv, kf)
	st.CAFile, st.CertFile, st.KeyFile = p.caFile, cliCert, cliKey
	s, err := Open(context.Background(), Options{Settings: st, RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	roundTrip(t, s)

	other := newPKI(t)
	want := map[string]string{"no client certificate": "tls: bad certificate", "another CA": "certificate signed by unknown authority"}
	for name, mutate := range map[string]func(*config.StoreSettings){
		"no client certificate": func(st *config.StoreSettings) { st.CertFile, st.KeyFile = "", "" },
		"another CA":            func(st *config.StoreSettings) { st.CAFile = other.caFile },
	} {
		bad := st
		mutate(&bad)
		start := time.Now()
		s, err := Open(context.Background(), Options{Settings: bad, RequestTimeout: 2 * time.Second})
		if err == nil {
			s.Close()
			t.Fatalf("%s: Open succeeded", name)
		}
		t.Logf("%s: %v", name, err)
		if !strings.Contains(err.Error(), srv.Endpoint) || !strings.Contains(err.Error(), want[name]) {
			t.Errorf("%s: the error does not name the store and %q: %v", name, want[name], err)
		}
		if took := time.Since(start); took > 20*time.Second {
			t.Errorf("%s: Open took %s to fail", name, took)
		}
	}
}

// etcd with auth on, and a user whose role may read and write the prefix only: username with
// password_file reaches it (token writes, the refresh lock, the election); a wrong password
// fails at Open with an error that names the user, and no user at all is refused too.
func TestStoreWithEtcdUser(t *testing.T) {
	srv := etcdtest.Start(t)
	root := srv.Client(t)
	ctx := context.Background()
	for _, step := range []func() error{
		func() error { _, err := root.RoleAdd(ctx, "root"); return err },
		func() error { _, err := root.UserAdd(ctx, "root", "root-pw"); return err },
		func() error { _, err := root.UserGrantRole(ctx, "root", "root"); return err },
		func() error { _, err := root.RoleAdd(ctx, "byova"); return err },
		func() error {
			_, err := root.RoleGrantPermission(ctx, "byova", "/byova/", clientv3.GetPrefixRangeEnd("/byova/"),
				clientv3.PermissionType(authpb.READWRITE))
			return err
		},
		func() error { _, err := root.UserAdd(ctx, "byova", "s3cret pw"); return err },
		func() error { _, err := root.UserGrantRole(ctx, "byova", "byova"); return err },
		func() error { _, err := root.AuthEnable(ctx); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	pw := filepath.Join(t.TempDir(), "etcd.password")
	if err := os.WriteFile(pw, []byte("s3cret pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st := settings(srv, keyFile(t))
	st.Username, st.PasswordFile = "byova", pw
	s, err := Open(ctx, Options{Settings: st, RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	roundTrip(t, s)
	unlock, err := s.LockRefresh(ctx, "default", config.KindServiceApp, "o")
	if err != nil {
		t.Fatalf("refresh lock as an etcd user: %v", err)
	}
	unlock()
	e := NewElector(s, "r1", nil)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if _, err := e.Lead(lctx); err != nil {
		t.Fatalf("election as an etcd user: %v", err)
	}
	if err := e.Check(ctx); err != nil {
		t.Fatalf("leader check as an etcd user: %v", err)
	}

	wrong := filepath.Join(t.TempDir(), "wrong.password")
	if err := os.WriteFile(wrong, []byte("guess"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := st
	bad.PasswordFile = wrong
	if s, err := Open(ctx, Options{Settings: bad, RequestTimeout: 2 * time.Second}); err == nil {
		s.Close()
		t.Fatal("a wrong password opened the store")
	} else if !strings.Contains(err.Error(), "byova") || strings.Contains(err.Error(), "guess") {
		t.Errorf("wrong password: %v (want the user named, the password not)", err)
	}
	anon := st
	anon.Username, anon.PasswordFile = "", ""
	if s, err := Open(ctx, Options{Settings: anon, RequestTimeout: 2 * time.Second}); err == nil {
		s.Close()
		t.Fatal("no user opened a store with auth on")
	} else {
		t.Logf("no user: %v", err)
	}
}
