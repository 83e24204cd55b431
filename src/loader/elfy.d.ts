// elfy ships no types: bsdemu uses only its Parser's header and program-header readers (elf.ts).
declare module 'elfy' {
  const elfy: unknown;
  export default elfy;
}
