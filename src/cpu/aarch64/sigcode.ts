// The arm64 signal trampoline as FreeBSD's sys/arm64/arm64/locore.S `sigcode` has it: sendsig enters here
// with x8 = handler and sp = the signal frame; it calls the handler, then passes the ucontext (frame + 80)
// to sigreturn(2) (417), and to exit(2) if that ever returns, forever.
const words = [
  0xd63f0100, //     blr  x8
  0x910003e0, //     mov  x0, sp
  0x91014000, //     add  x0, x0, #80        (SF_UC)
  0xd2803428, // 1:  mov  x8, #417           (SYS_sigreturn)
  0xd4000001, //     svc  #0
  0xd2800028, //     mov  x8, #1             (SYS_exit)
  0xd4000001, //     svc  #0
  0x17fffffc, //     b    1b
];

export const aarch64Sigcode = new Uint8Array(Uint32Array.from(words).buffer);
