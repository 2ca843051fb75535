//go:build !linux

package hugeheap

import "errors"

// Prepare has nothing to do where there is no madvise(MADV_HUGEPAGE).
func Prepare(int) error { return errors.ErrUnsupported }
