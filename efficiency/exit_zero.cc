// efficiency/exit_zero.cc — the tiny program //efficiency:costs starts with posix_spawn:
// it does nothing and exits 0, so what is measured is the cost of starting a program
// (exec, the dynamic loader, libc start-up) and reaping it.
int main() { return 0; }
