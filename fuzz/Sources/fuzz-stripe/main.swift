import FuzzHarness
import HookGateCore

Harness.runFuzzer(.stripe)
