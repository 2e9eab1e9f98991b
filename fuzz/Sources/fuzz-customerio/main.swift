import FuzzHarness
import HookGateCore

Harness.runFuzzer(.customerio)
