// Compiles MDX pages with the real MDX compiler (@mdx-js/mdx, default
// options) so CI catches pages the docs site would fail to parse.
//
// Usage: node compile.mjs <file.mdx | dir>...
//   A directory argument means every *.mdx file under it (recursively); a
//   directory holding none is an error.
// Output: one `path:line:column: message` line on stderr per failing page,
// `ok: N pages compiled` on stdout when every page compiles.
// Exit: 0 all compiled, 1 some page failed (or a path could not be read),
// 2 bad usage.
//
// YAML frontmatter (a leading `---` ... `---` block) is blanked out before
// compiling, line for line so positions stay exact: the docs site strips it
// with its own frontmatter parser and never reads it as MDX.

import {readFile, readdir, stat} from 'node:fs/promises'
import path from 'node:path'
import process from 'node:process'
import {compile} from '@mdx-js/mdx'

const usage = 'usage: node compile.mjs <file.mdx | dir>...'

function oneLine(text) {
  return String(text).replace(/\s+/g, ' ').trim()
}

// Replace the frontmatter block with as many empty lines, keeping every
// later line and column where it was.
function blankFrontmatter(source) {
  const match = /^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?=\r?\n|$)/.exec(source)
  if (!match) return source
  return match[0].replace(/[^\r\n]/g, '') + source.slice(match[0].length)
}

async function collectMdx(dir) {
  const found = []
  const entries = await readdir(dir, {withFileTypes: true})
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
      found.push(...(await collectMdx(full)))
    } else if (entry.name.endsWith('.mdx')) {
      found.push(full)
    }
  }
  return found.sort()
}

async function main(args) {
  if (args.length === 0 || args.includes('-h') || args.includes('--help')) {
    process.stderr.write(usage + '\n')
    return 2
  }
  const unknownFlag = args.find((a) => a.startsWith('-'))
  if (unknownFlag) {
    process.stderr.write(`unknown flag ${unknownFlag}\n${usage}\n`)
    return 2
  }

  let failed = 0
  const files = []
  for (const arg of args) {
    let info
    try {
      info = await stat(arg)
    } catch (error) {
      process.stderr.write(`${arg}:1:1: cannot read: ${oneLine(error.code || error.message)}\n`)
      failed++
      continue
    }
    if (info.isDirectory()) {
      const inDir = await collectMdx(arg)
      if (inDir.length === 0) {
        process.stderr.write(`${arg}:1:1: directory holds no *.mdx files\n`)
        failed++
      }
      files.push(...inDir)
    } else {
      files.push(arg)
    }
  }

  let compiled = 0
  for (const file of files) {
    let source
    try {
      source = await readFile(file, 'utf8')
    } catch (error) {
      process.stderr.write(`${file}:1:1: cannot read: ${oneLine(error.code || error.message)}\n`)
      failed++
      continue
    }
    try {
      await compile({path: file, value: blankFrontmatter(source)})
      compiled++
    } catch (error) {
      // VFileMessage from micromark/remark-mdx: has line, column, reason,
      // source and ruleId. An unclosed tag at the end of the document
      // (`Expected a closing tag for <X> (L:C-L:C)`) carries no position of
      // its own: use the opening tag's, which the reason quotes. Else 1:1.
      const quoted = /\((\d+):(\d+)-\d+:\d+\)/.exec(String(error.reason ?? ''))
      const line = error.line ?? (quoted ? Number(quoted[1]) : 1)
      const column = error.column ?? (quoted ? Number(quoted[2]) : 1)
      let message = oneLine(error.reason ?? error.message ?? error)
      if (error.source && error.ruleId) message += ` (${error.source}:${error.ruleId})`
      process.stderr.write(`${file}:${line}:${column}: ${message}\n`)
      failed++
    }
  }

  if (failed > 0) return 1
  process.stdout.write(`ok: ${compiled} pages compiled\n`)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    process.stderr.write(`mdxcheck: ${oneLine(error?.message ?? error)}\n`)
    process.exitCode = 1
  }
)
