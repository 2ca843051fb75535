package gateway

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/zaf/g711"

	"github.com/byova/byova/gateway/vapb"
)

// ChunkInterval is how often caller audio is sent: one chunk every 20 ms, in real time.
const ChunkInterval = 20 * time.Millisecond

// MaxAudioDuration is the longest WAV file a call accepts.
const MaxAudioDuration = 10 * time.Minute

// Audio is caller audio in the form it goes on the wire.
type Audio struct {
	Encoding   vapb.VoiceInput_VoiceEncoding
	SampleRate int
	Data       []byte // no header
}

// bytesPerSecond of the wire form.
func (a *Audio) bytesPerSecond() int {
	if a.Encoding == vapb.VoiceInput_LINEAR16_FORMAT {
		return a.SampleRate * 2
	}
	return a.SampleRate
}

// ChunkSize is the bytes of 20 ms: 160 for 8 kHz μ-law, 640 for 16 kHz LINEAR16.
func (a *Audio) ChunkSize() int { return a.bytesPerSecond() / 50 }

// Duration of the audio.
func (a *Audio) Duration() time.Duration {
	bps := a.bytesPerSecond()
	if bps == 0 {
		return 0
	}
	return time.Duration(len(a.Data)) * time.Second / time.Duration(bps)
}

// Chunks splits the audio into 20 ms chunks (the last may be short).
func (a *Audio) Chunks() [][]byte {
	n := a.ChunkSize()
	var out [][]byte
	for i := 0; i < len(a.Data); i += n {
		out = append(out, a.Data[i:min(i+n, len(a.Data))])
	}
	return out
}

// Silence is d of 8 kHz μ-law silence, what a caller who says nothing sends.
func Silence(d time.Duration) *Audio {
	n := int(int64(d) * 8000 / int64(time.Second))
	return &Audio{Encoding: vapb.VoiceInput_MULAW_FORMAT, SampleRate: 8000, Data: bytes.Repeat([]byte{0xFF}, n)}
}

// AudioError is a WAV file we cannot send, with the command that converts it.
type AudioError struct{ Msg string }

func (e *AudioError) Error() string { return e.Msg }

func convertHint(path string) string {
	return fmt.Sprintf("convert it with `sox %s -r 8000 -c 1 -e mu-law caller.wav` or `ffmpeg -i %s -ar 8000 -ac 1 -acodec pcm_mulaw caller.wav`", path, path)
}

// ReadWAV reads a mono WAV file: 16-bit PCM or μ-law, 8 or 16 kHz, at most 10 minutes.
// 8 kHz PCM is sent as μ-law (what Webex sends); 16 kHz PCM as LINEAR16.
func ReadWAV(path string) (*Audio, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &AudioError{err.Error()}
	}
	defer f.Close()
	a, err := DecodeWAV(f)
	if err != nil {
		var ae *AudioError
		if errors.As(err, &ae) && ae.Msg != "" {
			return nil, &AudioError{fmt.Sprintf("%s: %s; %s", path, ae.Msg, convertHint(path))}
		}
		return nil, &AudioError{fmt.Sprintf("%s: %v", path, err)}
	}
	return a, nil
}

// maxWAVBytes is 10 minutes of the largest format we take (16 kHz 16-bit) plus headers.
const maxWAVBytes = 16000*2*600 + 1<<16

// DecodeWAV reads a WAV stream (see ReadWAV); it never reads more than 10 minutes' worth.
func DecodeWAV(r io.Reader) (*Audio, error) {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil || string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return nil, &AudioError{"not a WAV file (no RIFF/WAVE header)"}
	}
	var format, channels, bits uint16
	var rate uint32
	haveFmt := false
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return nil, &AudioError{"no data chunk"}
		}
		size := binary.LittleEndian.Uint32(ch[4:8])
		switch string(ch[0:4]) {
		case "fmt ":
			if size < 16 || size > 1024 {
				return nil, &AudioError{"a fmt chunk of " + fmt.Sprint(size) + " bytes"}
			}
			b := make([]byte, size+size%2)
			if _, err := io.ReadFull(r, b); err != nil {
				return nil, &AudioError{"a cut fmt chunk"}
			}
			format, channels = binary.LittleEndian.Uint16(b[0:2]), binary.LittleEndian.Uint16(b[2:4])
			rate, bits = binary.LittleEndian.Uint32(b[4:8]), binary.LittleEndian.Uint16(b[14:16])
			if format == 0xFFFE && size >= 40 { // WAVE_FORMAT_EXTENSIBLE: the sub-format's first two bytes
				format = binary.LittleEndian.Uint16(b[24:26])
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return nil, &AudioError{"the data chunk comes before the fmt chunk"}
			}
			a := &Audio{SampleRate: int(rate)}
			switch {
			case channels != 1:
				return nil, &AudioError{fmt.Sprintf("%d channels; Webex sends mono", channels)}
			case rate != 8000 && rate != 16000:
				return nil, &AudioError{fmt.Sprintf("%d Hz; Webex sends 8 or 16 kHz", rate)}
			case format == 1 && bits == 16:
				a.Encoding = vapb.VoiceInput_LINEAR16_FORMAT
			case format == 7 && bits == 8:
				a.Encoding = vapb.VoiceInput_MULAW_FORMAT
			default:
				return nil, &AudioError{fmt.Sprintf("format %d with %d bits; send 16-bit PCM or μ-law", format, bits)}
			}
			if int64(size) > int64(MaxAudioDuration/time.Second)*int64(a.bytesPerSecond()) && size != 0xFFFFFFFF {
				return nil, &AudioError{Msg: fmt.Sprintf("longer than %s; cut it (sox IN OUT trim 0 60)", MaxAudioDuration)}
			}
			limit := int64(MaxAudioDuration/time.Second)*int64(a.bytesPerSecond()) + 1
			data, err := io.ReadAll(io.LimitReader(r, min(int64(size), limit)))
			if err != nil {
				return nil, err
			}
			if int64(len(data)) >= limit {
				return nil, &AudioError{Msg: fmt.Sprintf("longer than %s; cut it (sox IN OUT trim 0 60)", MaxAudioDuration)}
			}
			if a.Encoding == vapb.VoiceInput_LINEAR16_FORMAT {
				data = data[:len(data)&^1]
				if rate == 8000 {
					data = g711.EncodeUlaw(data) // what Webex sends: 8 kHz μ-law, 160 B per 20 ms
					a.Encoding = vapb.VoiceInput_MULAW_FORMAT
				}
			}
			if len(data) == 0 {
				return nil, &AudioError{"no audio in the data chunk"}
			}
			a.Data = data
			return a, nil
		default:
			if size > maxWAVBytes {
				return nil, &AudioError{fmt.Sprintf("a %q chunk of %d bytes", string(ch[0:4]), size)}
			}
			if _, err := io.CopyN(io.Discard, r, int64(size+size%2)); err != nil {
				return nil, &AudioError{"no data chunk"}
			}
		}
	}
}

// WAVBytes wraps raw wire audio in a WAV header, to save what a gateway played.
func WAVBytes(enc vapb.VoiceInput_VoiceEncoding, rate int, data []byte) []byte {
	if bytes.HasPrefix(data, []byte("RIFF")) {
		return data // WAV mode: the gateway sent a whole file
	}
	format, bits := uint16(7), uint16(8)
	switch enc {
	case vapb.VoiceInput_LINEAR16_FORMAT:
		format, bits = 1, 16
	case vapb.VoiceInput_ALAW_FORMAT:
		format = 6
	}
	var b bytes.Buffer
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + len(data)))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(format)
	le(uint16(1))
	le(uint32(rate))
	le(uint32(rate * int(bits) / 8))
	le(bits / 8)
	le(bits)
	b.WriteString("data")
	le(uint32(len(data)))
	b.Write(data)
	return b.Bytes()
}

// paceSpin is how long before a chunk is due Pace stops sleeping and starts yielding.
const paceSpin = 2 * time.Millisecond

// Pace calls send(i) for i in [0,n) at start+i·interval, against the clock rather than after
// each send, so a slow send does not push every later chunk back. It returns how late each
// send was (for the pacing benchmark) unless lates is nil.
func Pace(ctx context.Context, n int, interval time.Duration, send func(i int) (stop bool, err error), lates []time.Duration) ([]time.Duration, error) {
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		// Sleep to just before the chunk is due, then yield until it is: a timer alone fires
		// late by the scheduler's granularity, which a loaded machine makes milliseconds.
		if wait := time.Until(due) - paceSpin; wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return lates, ctx.Err()
			case <-timer.C:
			}
		}
		for time.Now().Before(due) {
			runtime.Gosched()
		}
		if lates != nil {
			lates = append(lates, time.Since(due))
		}
		stop, err := send(i)
		if err != nil || stop {
			return lates, err
		}
	}
	return lates, nil
}

// Level is the mean absolute sample of wire audio (0 for silence): the fake agent's voice
// detector.
func Level(enc vapb.VoiceInput_VoiceEncoding, data []byte) int {
	var pcm []byte
	switch enc {
	case vapb.VoiceInput_MULAW_FORMAT:
		pcm = g711.DecodeUlaw(data)
	case vapb.VoiceInput_ALAW_FORMAT:
		pcm = g711.DecodeAlaw(data)
	default:
		pcm = data[:len(data)&^1]
	}
	if len(pcm) < 2 {
		return 0
	}
	var sum int64
	for i := 0; i+1 < len(pcm); i += 2 {
		v := int64(int16(binary.LittleEndian.Uint16(pcm[i:])))
		if v < 0 {
			v = -v
		}
		sum += v
	}
	return int(sum / int64(len(pcm)/2))
}
