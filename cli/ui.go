package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/hugeheap"
	"github.com/byova/byova/session"
	"github.com/byova/byova/tui"
)

// runUI opens the terminal UI, on the real Webex or, with --demo, on the built-in fake.
func (a *app) runUI(ctx context.Context) error {
	// The list the UI holds is written into fresh heap: on pages marked for huge pages first
	// (see hugeheap). 128 MB of address space, not of memory: a page is only held once written.
	// A kernel without them leaves the UI as it was, so the error is not worth a word.
	go func() { _ = hugeheap.Prepare(128 << 20) }()
	// And the collector waits longer while that list is read, until its frame is on the screen.
	gcBack := a.gcTarget(uiGCPercent)
	defer gcBack()
	// The person's [keys] apply in --demo too, so they are read before the demo's folders.
	f, err := config.LoadFile(config.ConfigFile())
	if err != nil {
		return err
	}
	keys, err := tui.Keys(f, config.ConfigFile())
	if err != nil {
		return err
	}
	if a.demo {
		cleanup, err := a.startDemo()
		if err != nil {
			return err
		}
		defer cleanup()
	} else if _, err := a.session(); err != nil {
		return err
	}
	log, err := a.logger()
	if err != nil {
		return err
	}
	// A note on stderr would land on the drawn screen.
	config.SetNotifier(func(msg string) { log.Info(msg) })
	roots := a.endpointRoots // the demo's fake gateway's
	if roots == nil {
		if roots, err = a.caRoots(""); err != nil {
			return err
		}
	}
	return tui.Run(ctx, tui.Options{
		EndpointRoots: roots,
		Session:       a.sess,
		Demo:          a.demo,
		NoColor:       a.noColor || a.getenv("NO_COLOR") != "",
		ASCII:         a.ascii(),
		AltScreen:     !a.noAltScreen,
		Mouse:         a.mouse,
		Logger:        log,
		Keys:          keys,
		FirstShown:    gcBack,
	})
}

// startDemo serves the fake Webex on 127.0.0.1 with its sample data and points a session at
// it, with every XDG folder in a temporary directory so nothing outside it is written.
func (a *app) startDemo() (cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "byova-demo-")
	if err != nil {
		return nil, fmt.Errorf("demo: creating a temporary folder: %w", err)
	}
	restore := map[string]*string{}
	for _, k := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"} {
		if old, ok := os.LookupEnv(k); ok {
			restore[k] = &old
		} else {
			restore[k] = nil
		}
		os.Setenv(k, filepath.Join(dir, k))
	}
	xdg.Reload()
	fake := webexfake.New(webexfake.Options{Seed: 1})
	cleanup = func() {
		fake.Close()
		for k, v := range restore {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
		xdg.Reload()
		os.RemoveAll(dir)
	}
	if err := fake.Start(); err != nil {
		cleanup()
		return nil, fmt.Errorf("demo: starting the fake Webex API: %w", err)
	}
	// The demo's Voice Virtual Agent data sources point at a fake gateway, so p and c work.
	agent, _, err := startFakeAgent(fake, "127.0.0.1:0", filepath.Join(dir, "agent"))
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("demo: %w", err)
	}
	prev := cleanup
	cleanup = func() { agent.Close(); prev() }
	a.endpointRoots = agent.Roots()
	cr := fake.Creds()
	s := config.Settings{
		Profile: "demo", BaseURL: fake.URL(), Org: cr.OrgID, ReadOnly: a.readonly,
		IntegrationClientID: cr.IntegrationClientID, IntegrationClientSecret: cr.IntegrationClientSecret,
		IntegrationRedirectURI: cr.IntegrationRedirectURI,
		ServiceAppClientID:     cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret,
		ServiceAppRefreshToken: cr.ServiceAppRefreshToken, AccessToken: cr.PersonalAccessToken,
		// The TUI's watch settings as a profile without them gets (config.Resolve).
		ExtendWithin: config.DefaultExtendWithin, Refresh: config.DefaultRefresh, Bell: true,
		Source: map[string]string{},
	}
	log, err := a.logger()
	if err != nil {
		cleanup()
		return nil, err
	}
	sess, err := session.New(s, config.NewStore(config.TokenFile()), log)
	if err != nil {
		cleanup()
		return nil, err
	}
	a.sess = sess
	return cleanup, nil
}
