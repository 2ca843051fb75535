package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// envWebhookSecret lets the secret stay out of the process list.
const envWebhookSecret = "BYOVA_WEBHOOK_SECRET"

// maxSecretFile bounds --secret-file: a secret is a line, never a large file read by mistake.
const maxSecretFile = 4 << 10

// secretFlags are the three ways to give a webhook secret. --secret is kept for old scripts
// but shows in `ps` and shell history; --secret-file and the environment do not.
type secretFlags struct {
	value, file string
}

func (s *secretFlags) add(cmd *cobra.Command, what string) {
	fl := cmd.Flags()
	fl.StringVar(&s.file, "secret-file", "", what+": read from this file (first line; default: $"+envWebhookSecret+")")
	fl.StringVar(&s.value, "secret", "", what+" on the command line (discouraged: visible in ps and shell history; use --secret-file)")
}

// given reports whether a secret was asked for on the command line or in the environment.
func (s *secretFlags) given(a *app, cmd *cobra.Command) bool {
	fl := cmd.Flags()
	return fl.Changed("secret") || fl.Changed("secret-file") || a.getenv(envWebhookSecret) != ""
}

// resolve returns the secret and where it came from; "" when none was given.
func (s *secretFlags) resolve(a *app, cmd *cobra.Command) (secret, from string, err error) {
	fl := cmd.Flags()
	switch {
	case fl.Changed("secret") && fl.Changed("secret-file"):
		return "", "", usagef("give --secret-file or --secret, not both")
	case fl.Changed("secret-file"):
		v, err := readSecretFile(s.file)
		if err == nil {
			if st, serr := os.Stat(s.file); serr == nil && st.Mode().Perm()&0o077 != 0 {
				fmt.Fprintf(a.stderr, "byova: note: %s is readable by other users (mode %04o): chmod 600 %s\n", s.file, st.Mode().Perm(), s.file)
			}
		}
		return v, "--secret-file", err
	case fl.Changed("secret"):
		if strings.TrimSpace(s.value) == "" {
			return "", "", usagef("--secret is empty")
		}
		return s.value, "--secret", nil
	}
	return a.getenv(envWebhookSecret), "$" + envWebhookSecret, nil
}

func readSecretFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", usagef("--secret-file %s does not exist: write the webhook secret into it (one line, mode 0600)", path)
		}
		return "", usagef("--secret-file: %v", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return "", usagef("--secret-file %s is not a regular file", path)
	}
	buf, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return "", usagef("--secret-file %s: %v", path, err)
	}
	if len(buf) > maxSecretFile {
		return "", usagef("--secret-file %s is over %d bytes: it should hold one line, the webhook secret", path, maxSecretFile)
	}
	line, _, _ := strings.Cut(string(buf), "\n")
	line = strings.TrimSpace(line)
	if line == "" {
		return "", usagef("--secret-file %s is empty: write the webhook secret into it", path)
	}
	return line, nil
}

// noteSecretFlag warns, once per run, that --secret leaks into the process list.
func (a *app) noteSecretFlag(from string) {
	if from == "--secret" {
		fmt.Fprintf(a.stderr, "byova: note: --secret is visible to other users in ps; prefer --secret-file F or $%s\n", envWebhookSecret)
	}
}

// noteUnsigned warns on stderr (so --json output stays clean) that a webhook gets no secret.
func (a *app) noteUnsigned() {
	fmt.Fprintf(a.stderr, "byova: note: no secret: Webex will not sign the deliveries, and `byova webhooks listen` refuses unsigned ones; give --secret-file F (or $%s)\n", envWebhookSecret)
}
