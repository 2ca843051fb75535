//go:build peakrss

package main

import (
	"bytes"
	"os"
)

// A build with -tags peakrss (the CLI's list benchmarks make one) writes its peak resident
// memory (the VmHWM line of /proc/self/status) on stderr as it exits: the parent cannot read
// it from the child's rusage, which counts the parent's memory too (Go starts a child by
// vfork). The build is the release one otherwise, so the figure is the release binary's.
func init() {
	prev := stopProfile
	stopProfile = func() {
		prev()
		st, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return
		}
		for l := range bytes.Lines(st) {
			if bytes.HasPrefix(l, []byte("VmHWM:")) {
				os.Stderr.Write(l)
			}
		}
	}
}
