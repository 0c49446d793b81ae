// The SLA extension: starts `sla lsp` for .sla files and talks to it over stdio.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration('sla.server');
  // No transport is named: the server talks over stdio, and no --stdio flag is added.
  const server = {
    command: settings.get('command', 'sla'),
    args: settings.get('args', ['lsp']),
  };
  client = new LanguageClient(
    'sla',
    'SLA',
    server,
    { documentSelector: [{ scheme: 'file', language: 'sla' }, { scheme: 'untitled', language: 'sla' }] },
  );
  client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `Could not start "${server.command} ${server.args.join(' ')}": ${error.message}. ` +
        'Install sla (pip install sla-lang) or set sla.server.command.',
    );
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
