package commands

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/basetenlabs/baseten/schema"
)

// configDir is the directory the CLI keeps its files in:
// $BASETEN_CONFIG_DIR, else "baseten" in the user's config directory
// (~/.config/baseten on Linux). It is not created here; writers create it.
func configDir(getenv Getenv) (string, error) {
	if dir := getenv(schema.EnvConfigDir); dir != "" {
		return dir, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a config directory (%v); set %s", err, schema.EnvConfigDir)
	}
	return filepath.Join(base, "baseten"), nil
}
