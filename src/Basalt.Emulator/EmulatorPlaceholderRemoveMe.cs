namespace Basalt.Emulator;
internal static class EmulatorAssembly
{
}
