// Placeholder until the server lands (issue 6).
namespace dyad::server {}
