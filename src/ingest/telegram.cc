// Placeholder: being written.
namespace dyad {}
