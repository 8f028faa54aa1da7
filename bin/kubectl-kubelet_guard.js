#!/usr/bin/env -S node --max-semi-space-size=8
// The kubectl plugin: `kubectl kubelet-guard cluster` runs this file as kubectl-kubelet_guard
// (kubectl's plugin naming: a dash in a plugin's name is an underscore in its file name; krew's
// plugin `kubelet-guard`). kubectl passes every argument after the plugin's name, its own global
// flags included, so `kubectl kubelet-guard cluster --context prod` reaches the cluster command as
// written. The same CLI as bin/kubelet-guard.js (same start-up flag, see there); cli.ts names
// itself `kubectl kubelet-guard` in help and errors when started under this name.
import './kubelet-guard.js';
