package commands

import "github.com/basetenlabs/baseten/schema"

// powershellScript registers a native argument completer for baseten (and
// baseten.exe, as Windows users may type it). PowerShell hands the
// completer the whole command's syntax tree and the cursor's offset in the
// input; the script cuts the command's text at the cursor (adding the space
// PowerShell leaves out of the command's extent when the cursor is past it),
// runs baseten with it in COMP_LINE, as the other shells do, and restores
// the three variables it set, since $env: changes last for the session.
//
// PowerShell replaces the whole word being completed, so baseten writes a
// --flag=value candidate whole (as for fish) and the script quotes each
// candidate for PowerShell: in single quotes, with every single quote
// doubled (PowerShell also reads the typographic ‘’‚‛ as single quotes), when
// it holds anything but letters, digits and ._/:=+-. A note after a tab
// (candidateMarks) becomes the candidate's tooltip.
const powershellScript = `Register-ArgumentCompleter -Native -CommandName baseten, baseten.exe -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $line = $commandAst.Extent.Text
    $cut = $cursorPosition - $commandAst.Extent.StartOffset
    if ($cut -lt $line.Length) {
        $line = $line.Substring(0, [Math]::Max($cut, 0))
    } elseif ($cut -gt $line.Length) {
        $line += ' '
    }
    $saved = $env:COMP_LINE, $env:COMP_POINT, $env:` + schema.EnvCompletionShell + `
    $env:COMP_LINE = $line
    $env:COMP_POINT = $null
    $env:` + schema.EnvCompletionShell + ` = 'powershell'
    try {
        $candidates = @(& baseten 2>$null)
    } finally {
        $env:COMP_LINE = $saved[0]
        $env:COMP_POINT = $saved[1]
        $env:` + schema.EnvCompletionShell + ` = $saved[2]
    }
    foreach ($answer in $candidates) {
        $candidate, $note = $answer -split '\t', 2
        $text = $candidate
        if ($candidate -notmatch '^[\w./:=+-]+$') {
            $text = "'" + ($candidate -replace '[''\u2018\u2019\u201A\u201B]', '$0$0') + "'"
        }
        $tip = $candidate
        if ($note) { $tip = "$candidate - $note" }
        [System.Management.Automation.CompletionResult]::new($text, $candidate, 'ParameterValue', $tip)
    }
}
`
