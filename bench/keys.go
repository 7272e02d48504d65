package main

import (
	"math/bits"
	"strconv"
)

// apiKey is one element of the GET /v1/api_keys response (APIKeyInfoV1 in
// the OpenAPI description). Every field is always sent; absent optional
// values are JSON null, as the API sends them. Like the sandbox's, it is
// written from the OpenAPI description rather than shared with managementapi,
// so a bug in the CLI's types cannot hide in a matching one here.
type apiKey struct {
	Prefix   string   `json:"prefix"`
	Name     *string  `json:"name"`
	Type     string   `json:"type"`
	ModelIDs []string `json:"model_ids"`
	TeamName *string  `json:"team_name"`
}

// keyAt returns the i-th key of the served list. It is a pure function of i,
// so the server can generate the body and the runner can check a
// workload's output key by key without either holding the other's copy.
//
// The mix is meant to look like a real organization: every key type (45%
// personal), one name and one team in six null, model IDs (one, sometimes
// two) on three quarters of the invoke and metrics keys, a team name that
// is not ASCII. An element averages about 107 bytes, so 50,000 keys make a
// 5.4 MB body and 1,000,000 keys 107 MB.
func keyAt(i int) apiKey {
	h := splitmix64(uint64(i))
	hi, lo := bits.Mul64(uint64(i)+1, prefixStride)
	_, p := bits.Div64(hi, lo, prefixSpace) // hi < prefixStride < prefixSpace: no overflow
	k := apiKey{Prefix: base36(p, 8)}

	switch r := h % 100; {
	case r < 45:
		k.Type = "PERSONAL"
	case r < 70:
		k.Type = "WORKSPACE_INVOKE"
	case r < 85:
		k.Type = "WORKSPACE_MANAGE_ALL"
	default:
		k.Type = "WORKSPACE_EXPORT_METRICS"
	}
	if (h>>8)%6 != 0 {
		name := namePatterns[(h>>16)%uint64(len(namePatterns))] + strconv.FormatUint((h>>44)%1000, 10)
		k.Name = &name
	}
	if k.Type == "WORKSPACE_INVOKE" || k.Type == "WORKSPACE_EXPORT_METRICS" {
		if (h>>24)%4 != 0 {
			n := 1
			if (h>>28)%6 == 0 {
				n = 2
			}
			k.ModelIDs = make([]string, n)
			for j := range k.ModelIDs {
				k.ModelIDs[j] = base36(splitmix64(h+uint64(j))%prefixSpace, 8)
			}
		}
	}
	if (h>>32)%6 != 0 {
		k.TeamName = &teamNames[(h>>40)%uint64(len(teamNames))]
	}
	return k
}

var (
	namePatterns = []string{"ci-", "laptop-", "deploy-", "metrics-"}
	teamNames    = []string{"Default", "Research", "Platform", "Développement"}
)

const (
	// prefixSpace is the number of 8-character base-36 prefixes. Multiplying
	// the index by a stride coprime to it and reducing modulo it is a
	// bijection, so prefixes are unique; a stride near the golden ratio of
	// the space makes neighbours look unrelated.
	prefixSpace  = 36 * 36 * 36 * 36 * 36 * 36 * 36 * 36
	prefixStride = 1_743_541_808_669
)

// base36 writes v in lowercase base 36, left-padded with zeros to width.
func base36(v uint64, width int) string {
	s := strconv.FormatUint(v, 36)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// splitmix64 is a small, well-mixed hash: each index gets independent-looking
// attribute bits without a shared random source.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
