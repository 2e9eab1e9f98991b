import FuzzHarness
import HookGateCore

Harness.runFuzzer(.nmi)
