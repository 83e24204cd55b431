module bsdemu.test/guests

go 1.19
