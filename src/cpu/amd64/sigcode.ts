// The amd64 signal trampoline, laid out as FreeBSD's sys/amd64/amd64/sigtramp.S does it: the kernel
// enters here with %rsp at the signal frame; it calls the handler stored at offset 0 of the frame, then
// passes the ucontext (frame + 16) to sigreturn(2) (417), and halts if that ever returns.
export const amd64Sigcode = Uint8Array.from([
  0xff, 0x54, 0x24, 0x00, //             call *0(%rsp)         (sf_ahu: handler)
  0x48, 0x8d, 0x7c, 0x24, 0x10, //       lea 16(%rsp), %rdi    (sf_uc)
  0x6a, 0x00, //                         push $0               (fake return address)
  0x48, 0xc7, 0xc0, 0xa1, 0x01, 0x00, 0x00, // mov $417, %rax  (SYS_sigreturn)
  0x0f, 0x05, //                         syscall
  0xf4, //                               0: hlt
  0xeb, 0xfd, //                         jmp 0b
]);
