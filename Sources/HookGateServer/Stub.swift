enum _StubHookGateServer {}
