// The guichet extension: highlighting comes from the grammars in
// syntaxes/; everything else (diagnostics as you type, completion, hover,
// go to definition, references, rename, outline, formatting, quick fixes)
// from `guichet lsp`, started as a child process speaking the Language
// Server Protocol on its stdin and stdout.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("guichet");
  const command = config.get("server.path") || "guichet";
  const args = ["lsp", ...(config.get("server.extraArgs") || [])];
  return { command, args };
}

async function start() {
  const server = serverOptions();
  client = new LanguageClient(
    "guichet",
    "guichet",
    server,
    {
      documentSelector: [
        { scheme: "file", language: "guichet" },
        { scheme: "file", language: "guichet-test" },
        { scheme: "file", pattern: "**/*.csv" },
      ],
      synchronize: {
        // Files changed outside the editor (a git checkout, a script).
        fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{flow,test,csv}"),
      },
    }
  );
  try {
    await client.start();
  } catch (err) {
    client = undefined;
    vscode.window.showErrorMessage(
      `guichet: could not start \`${server.command} lsp\` (${err.message}). ` +
        'Set "guichet.server.path" to the guichet program.'
    );
  }
}

async function restart() {
  if (client) {
    const old = client;
    client = undefined;
    await old.stop();
  }
  await start();
}

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("guichet.restartServer", restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("guichet.server")) {
        restart();
      }
    })
  );
  return start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
