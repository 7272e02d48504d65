package commands

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/kong"
	"github.com/posener/complete"
	"github.com/willabides/kongplete"

	"github.com/basetenlabs/baseten/credentials"
	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// Shell completion speaks the protocol of github.com/posener/complete: the
// shell runs `baseten` with the line being typed in COMP_LINE (and the
// cursor in COMP_POINT), and shows the lines it prints as candidates.
// kongplete turns the Kong model into that library's description of
// commands, flags and enum values; flags tagged `predictor:"..."` get live
// values from the API or the stored credentials (completionPredictors).

// completionDeadline bounds the live values of one completion: a person
// pressing Tab waits for it.
const completionDeadline = 2 * time.Second

// answerCompletion prints the candidates for the word being typed, one per
// line, and exits 0 whatever happens: the shell shows everything printed,
// so nothing but candidates ever is (no error, no note, no prompt).
func answerCompletion(ctx context.Context, streams *render.IO, getenv Getenv) (code int) {
	defer func() {
		if recover() != nil {
			code = schema.ExitOK
		}
	}()
	full := getenv(schema.EnvCompletionLine)
	line := beforeCursor(full, getenv(schema.EnvCompletionPoint))
	quiet := &render.IO{Out: io.Discard, Err: io.Discard}
	var cli CLI
	parser, err := NewParser(&cli, quiet, func(int) {}, kong.Bind(quiet, getenv))
	if err != nil {
		return schema.ExitOK
	}
	live := &liveValues{ctx: ctx, getenv: getenv, after: wordsAfter(full, line)}
	command, err := kongplete.Command(parser, kongplete.WithPredictors(live.predictors()))
	if err != nil {
		return schema.ExitOK
	}
	args, afterName := completionArgs(line)
	if !afterName { // the program's name is still being typed: not ours to complete
		return schema.ExitOK
	}
	quote := func(s string) string { return s } // zsh and fish quote by themselves
	switch getenv(schema.EnvCompletionShell) {
	case "fish", "powershell":
		// fish and PowerShell replace the whole word typed, "--flag="
		// included (bash and the zsh script complete after the "=").
		if flag, found := flagBeforeValue(line); found {
			quote = func(s string) string { return flag + "=" + s }
		}
	case "zsh":
	default:
		if quote = bashQuoter(line); quote == nil {
			return schema.ExitOK // typed where no candidate can be made inert
		}
	}
	predicted := command.Predict(args)
	var secrets []string
	if len(predicted) > 0 {
		secrets = live.knownKeys()
	}
	var out strings.Builder
	shell := getenv(schema.EnvCompletionShell)
	for _, candidate := range matching(predicted, args.Last) {
		// A hostile or echoing server could otherwise put a key on the
		// command line, and from there into the shell's history.
		if !slices.ContainsFunc(secrets, func(key string) bool { return managementapi.ContainsKey(candidate, key) }) {
			out.WriteString(quote(candidate) + live.markOf(candidate, shell) + "\n")
		}
	}
	_, _ = io.WriteString(streams.Out, out.String())
	return schema.ExitOK
}

// beforeCursor is the part of line before the cursor at point. bash counts
// COMP_POINT in characters (in a UTF-8 locale; in bytes in the C locale,
// where a line that is not ASCII is seldom typed), so a line that is UTF-8
// is cut after point characters, any other after point bytes. A point that
// is not a number, negative or past the end stands for the end.
func beforeCursor(line, point string) string {
	n, err := strconv.Atoi(point)
	if err != nil || n < 0 {
		return line
	}
	if utf8.ValidString(line) {
		for i := range line {
			if n == 0 {
				return line[:i]
			}
			n--
		}
		return line
	}
	return line[:min(n, len(line))]
}

// flagBeforeValue returns the flag of a last word "--flag=value" being
// typed, as completionArgs splits it.
func flagBeforeValue(line string) (string, bool) {
	words := strings.Fields(line)
	if len(words) == 0 || unicode.IsSpace(rune(line[len(line)-1])) {
		return "", false
	}
	flag, _, found := strings.Cut(words[len(words)-1], "=")
	return flag, found && strings.HasPrefix(flag, "-")
}

// completionArgs splits a command line as github.com/posener/complete does
// (its own splitter is unexported): words at spaces, an empty last word
// after a trailing space, and a last word "--flag=val" as two.
func completionArgs(line string) (a complete.Args, afterName bool) {
	words := strings.Fields(line)
	if line != "" && unicode.IsSpace(rune(line[len(line)-1])) {
		words = append(words, "")
	}
	if n := len(words); n > 0 {
		if flag, value, found := strings.Cut(words[n-1], "="); found && strings.HasPrefix(flag, "-") {
			words = append(words[:n-1], flag, value)
		}
	}
	if len(words) < 2 { // the program's name being typed, or nothing at all
		return a, false
	}
	a.All = words[1:] // after the program's name
	a.Completed = a.All[:len(a.All)-1]
	a.Last = a.All[len(a.All)-1]
	if n := len(a.Completed); n > 0 {
		a.LastCompleted = a.Completed[n-1]
	}
	return a, true
}

// matching keeps the candidates that extend the word typed (an opening
// quote aside), without duplicates, sorted; and drops any that a terminal
// would act on or hide: they come from the API.
func matching(candidates []string, typed string) []string {
	typed = strings.TrimLeft(typed, `'"`)
	var out []string
	for _, c := range candidates {
		if c != "" && strings.HasPrefix(c, typed) && render.Sanitize(c) == c && !strings.ContainsAny(c, "\n\r\t") {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// liveValues are the values only the API (or the config) knows.
type liveValues struct {
	ctx    context.Context
	getenv Getenv
	marks  candidateMarks
	// after are the whole words after the cursor: a run of the line reads
	// them too (a --remote-url there is the remote it would use).
	after []string

	mu sync.Mutex
	// used are the keys predictors sent to the API (from goroutines that
	// may outlive the deadline: guarded by mu).
	used []string
}

// knownKeys are the keys no candidate may hold: BASETEN_API_KEY, the key
// a predictor asked the API with (the active stored one, when the
// environment has none), and the keys kept in the credentials file. Keys
// in the OS keyring other than the one in use are not read: every read
// could make the keyring ask the user, at each Tab.
func (l *liveValues) knownKeys() []string {
	l.mu.Lock()
	keys := slices.Clone(l.used)
	l.mu.Unlock()
	if key := strings.TrimSpace(l.getenv(schema.EnvAPIKey)); key != "" {
		keys = append(keys, key)
	}
	store, err := storedCredentials(&render.IO{Out: io.Discard, Err: io.Discard}, l.getenv)
	if err != nil || store == nil {
		return keys
	}
	for _, c := range store.Credentials() {
		if c.Storage != credentials.File {
			continue
		}
		if key, err := store.Key(c); err == nil && key != "" {
			keys = append(keys, key)
		}
	}
	return keys
}

// wordsAfter returns the words of full after the word at the end of
// before, the part of it before the cursor.
func wordsAfter(full, before string) []string {
	rest := full[len(before):]
	if before != "" && !unicode.IsSpace(rune(before[len(before)-1])) {
		// The cursor is in a word or at its end: the rest of it is not a
		// word of its own.
		rest = strings.TrimLeftFunc(rest, func(r rune) bool { return !unicode.IsSpace(r) })
	}
	return strings.Fields(rest)
}

// Predictor names, for the `predictor` tag of a flag.
const (
	predictKeyPrefix = "key-prefix"
	predictKeyName   = "key-name"
	predictTeam      = "team" // IDs and names: --team takes either
	predictTeamID    = "team-id"
	predictTeamName  = "team-name"
	predictLabel     = "credential-label"
	predictModelID   = "model-id"
	predictModelName = "model-name"
	// The deployments and environments of the model on the line.
	predictDeployment  = "deployment-id"
	predictEnvironment = "environment"
)

func (l *liveValues) predictors() map[string]complete.Predictor {
	keys := func(value func(*managementapi.APIKeyInfo) string) complete.Predictor {
		return l.fromAPI(func(ctx context.Context, client *managementapi.Client) ([]string, error) {
			list, err := client.ListAPIKeys(ctx)
			if err != nil {
				return nil, err
			}
			var values []string
			inUse := l.marks.inUse()
			err = managementapi.EachKey(list, func(k *managementapi.APIKeyInfo) error {
				values = append(values, strings.Clone(value(k)))
				if inUse != "" && k.Prefix == inUse {
					l.marks.mark(values[len(values)-1], markKeyInUse)
				}
				return nil
			})
			return values, err
		})
	}
	teams := func(ids, names bool) complete.Predictor {
		return l.fromAPI(func(ctx context.Context, client *managementapi.Client) ([]string, error) {
			answer, err := client.ListTeams(ctx)
			if err != nil {
				return nil, err
			}
			list, err := answer.Decode()
			if err != nil {
				return nil, err
			}
			var values []string
			for _, team := range list.Teams {
				if ids {
					values = append(values, team.ID)
				}
				if names {
					values = append(values, team.Name)
				}
			}
			return values, nil
		})
	}
	return map[string]complete.Predictor{
		predictKeyPrefix:  keys(func(k *managementapi.APIKeyInfo) string { return k.Prefix }),
		predictKeyName:    keys(func(k *managementapi.APIKeyInfo) string { return deref(k.Name) }),
		predictTeam:       teams(true, true),
		predictTeamID:     teams(true, false),
		predictTeamName:   teams(false, true),
		predictSecretName: l.secretNames(),
		predictUserID:     l.users(func(u managementapi.UserInfo) string { return u.UserID }, "me"),
		predictUserEmail:  l.users(func(u managementapi.UserInfo) string { return deref(u.Email) }),
		predictAPIPath:    apiPathPredictor(),
		predictFile:       complete.PredictFiles("*"),
		predictModelID:    l.models(func(m *managementapi.Model) string { return m.ID }),
		predictModelName:  l.models(func(m *managementapi.Model) string { return m.Name }),
		predictDeployment: l.ofModel(func(ctx context.Context, client *managementapi.Client, modelID string) ([]string, error) {
			return modelDeploymentIDs(ctx, client, modelID)
		}),
		predictEnvironment: l.ofModel(func(ctx context.Context, client *managementapi.Client, modelID string) ([]string, error) {
			return modelEnvironmentNames(ctx, client, modelID)
		}),
		predictLabel: l.within(func(ctx context.Context, a complete.Args) []string {
			store, err := storedCredentials(&render.IO{Out: io.Discard, Err: io.Discard}, l.getenv)
			if err != nil || store == nil {
				return nil
			}
			return store.Labels()
		}),
	}
}

// fromAPI is a predictor that asks the API, with the key and remote a run
// of the line being typed would use; nothing without a key.
func (l *liveValues) fromAPI(fetch func(context.Context, *managementapi.Client) ([]string, error)) complete.Predictor {
	return l.within(func(ctx context.Context, a complete.Args) []string {
		quiet := &render.IO{Out: io.Discard, Err: io.Discard}
		var flags CommonFlags
		words := slices.Concat(a.Completed, l.after)
		if err := flags.resolveEnvironment(flagValueIn(words, "--remote-url"), l.getenv); err != nil {
			return nil
		}
		if profile := flagValueIn(words, "--profile"); profile != nil {
			flags.Profile = *profile // the account a run of the line would use
		}
		flags.timeout = completionDeadline
		client, err := flags.ProvideClient(quiet, l.getenv)
		if err != nil {
			return nil
		}
		l.marks.setInUse(flags.inUsePrefix())
		l.mu.Lock()
		l.used = append(l.used, client.APIKey)
		l.mu.Unlock()
		values, err := fetch(ctx, client)
		if err != nil {
			return nil
		}
		// A candidate is printed for the shell to show and put on the
		// command line: one that holds the key it was fetched with (a
		// server echoing it into a name) is dropped.
		return slices.DeleteFunc(values, func(v string) bool { return managementapi.ContainsKey(v, client.APIKey) })
	})
}

// within runs predict with the completion's deadline, and gives up on it
// (an empty answer) when that passes: a keyring or server that does not
// answer must not hold the shell. The abandoned call ends with the process.
func (l *liveValues) within(predict func(context.Context, complete.Args) []string) complete.Predictor {
	return complete.PredictFunc(func(a complete.Args) []string {
		ctx, cancel := context.WithTimeout(l.ctx, completionDeadline)
		defer cancel()
		answer := make(chan []string, 1)
		go func() { answer <- predict(ctx, a) }()
		select {
		case values := <-answer:
			return values
		case <-ctx.Done():
			return nil
		}
	})
}

// flagValueIn finds a flag's value (--remote-url, --profile) among the
// words typed, as a run of the line would: the last one given wins.
func flagValueIn(words []string, flag string) *string {
	var value *string
	for i, w := range words {
		if v, ok := strings.CutPrefix(w, flag+"="); ok {
			value = &v
		} else if w == flag && i+1 < len(words) {
			value = &words[i+1]
		}
	}
	return value
}
