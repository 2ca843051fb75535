//go:build !unix

package config

// Windows has no O_NOFOLLOW; the Lstat check before opening and the regular-file check after
// it still refuse a link or a folder.
const noFollow = 0
