//! Español: cada texto que lee un paciente, de usted y en palabras sencillas.
#![allow(non_upper_case_globals)]

// El enlace de idioma y el marco de la página.
pub const language_link_label: &str = "Idioma";
pub const portal: &str = "Portal del paciente";

// Iniciar sesión (§2.1).
pub const sign_in: &str = "Iniciar sesión";
pub const sign_in_title: &str = "Iniciar sesión · Portal del paciente";
pub const username: &str = "Nombre de usuario";
pub const username_hint: &str = "Su nombre de usuario suele ser su correo electrónico.";
pub const password: &str = "Contraseña";
pub const password_reset_notice: &str =
    "Se restableció su contraseña. Inicie sesión con su nueva contraseña.";
pub const sign_in_with_passkey: &str = "Iniciar sesión con una llave de acceso";
pub const passkey_needs_js: &str = "Para iniciar sesión con una llave de acceso se necesita JavaScript, que está desactivado en este navegador. Inicie sesión con su contraseña.";
pub const account_help: &str = "Ayuda con su cuenta";
pub const forgot_username_link: &str = "¿Olvidó su nombre de usuario?";
pub const forgot_password_link: &str = "¿Olvidó su contraseña?";

// Errores que cualquiera puede encontrar.
pub const invalid_credentials: &str = "El nombre de usuario o la contraseña que escribió no son correctos.";
pub fn locked(minutes: i64) -> String {
    format!("Su cuenta está bloqueada por un tiempo. Vuelva a intentarlo en {minutes} minutos o use ¿Olvidó su contraseña? para restablecerla.")
}
pub const revoked: &str = "Su acceso al portal está desactivado. Comuníquese con su consultorio.";
pub const too_many_attempts: &str = "Demasiados intentos. Espere un minuto y vuelva a intentarlo.";
pub const not_signed_in: &str = "No ha iniciado sesión o su sesión terminó. Vuelva a iniciar sesión.";
pub const wrong_authenticator_code: &str =
    "Ese código no funcionó. Escriba el código que muestra ahora su aplicación de autenticación.";
pub const busy: &str = "El portal está ocupado en este momento. Vuelva a intentarlo en un momento.";
pub const unavailable: &str = "El portal no está disponible en este momento. Vuelva a intentarlo en unos minutos.";
pub const internal: &str = "Algo salió mal de nuestro lado. Vuelva a intentarlo.";
pub const unreachable: &str = "No pudimos comunicarnos con el portal. Revise su conexión y vuelva a intentarlo.";
pub const username_missing: &str = "Escriba su nombre de usuario.";
pub const username_invalid: &str = "Escriba un nombre de usuario válido: sin espacios ni caracteres de control o invisibles, de 254 caracteres como máximo.";
pub const password_missing: &str = "Escriba su contraseña.";
pub fn password_too_long(max: usize) -> String {
    format!("La contraseña puede tener {max} caracteres como máximo.")
}
pub const malformed: &str = "El formulario llegó incompleto o dañado. Vuelva a cargar la página e inténtelo de nuevo.";

// Mensajes: correos, textos y llamadas (SPEC §4). Solo los arma el servidor.
use super::Setting;

fn setting(s: Setting) -> &'static str {
    match s {
        Setting::Password => "la contraseña",
        Setting::SecurityQuestion => "la pregunta de seguridad",
        Setting::MobileNumber => "el número de celular",
        Setting::TwoStep => "la configuración de verificación en dos pasos",
    }
}
pub fn changed_subject(s: Setting) -> String {
    format!("Se cambió {} de su portal del paciente", setting(s))
}
pub fn changed_body(first_name: &str, s: Setting) -> String {
    format!(
        "Hola, {first_name}:\n\nSe acaba de cambiar {} de su cuenta del portal del paciente.\n\
         Si no fue usted, llame a su consultorio de inmediato.\n",
        setting(s)
    )
}
pub const reset_email_subject: &str = "Restablezca la contraseña de su portal del paciente";
pub fn reset_email_body(first_name: &str, link: &str, minutes: i64) -> String {
    format!(
        "Hola, {first_name}:\n\n\
         Recibimos una solicitud para restablecer la contraseña de su cuenta del portal del paciente.\n\
         Para elegir una nueva contraseña, abra este enlace en los próximos {minutes} minutos:\n\n\
         Restablecer la contraseña: {link}\n\n\
         Si usted no lo pidió, puede ignorar este correo: su contraseña sigue igual.\n"
    )
}
pub fn reset_code_text(code: &str, minutes: i64) -> String {
    format!("Su código de seguridad del portal del paciente es {code}. Vale por {minutes} minutos. No lo comparta.")
}
pub fn reset_code_call(spoken: &str) -> String {
    format!("Su código de seguridad del portal del paciente es: {spoken}. Otra vez: {spoken}.")
}
pub const username_email_subject: &str = "Su nombre de usuario del portal del paciente";
pub fn username_email_body(accounts: &[(&str, &str)]) -> String {
    let lines: Vec<String> = accounts.iter().map(|(first, name)| format!("Nombre de usuario de {first}: {name}")).collect();
    format!(
        "Hola:\n\nUsted pidió el nombre de usuario de su cuenta del portal del paciente.\n\n{}\n\n\
         Úselo para iniciar sesión en el portal. Si usted no lo pidió, puede ignorar este correo.\n",
        lines.join("\n")
    )
}
pub const invitation_subject: &str = "Cree su cuenta del portal del paciente";
pub fn invitation_body(first_name: &str, days: i64, link: &str) -> String {
    format!(
        "Hola, {first_name}:\n\nSu consultorio le invita a su portal del paciente, donde puede ver su información \
         de salud y enviar mensajes a su equipo de atención.\nAbra este enlace en los próximos {days} días para elegir \
         un nombre de usuario y una contraseña:\n\n\
         Crear su cuenta: {link}\n\nSi no esperaba este correo, puede ignorarlo.\n"
    )
}
pub fn hello_email(first_name: &str, text: &str) -> String {
    format!("Hola, {first_name}:\n\n{text}\n")
}
pub const mobile_changed_subject: &str = "Se cambió el número de celular de su portal del paciente";
pub fn mobile_changed_by_staff(masked: &str) -> String {
    format!("Su consultorio cambió el número de celular de su cuenta del portal del paciente a {masked}. Si usted no lo pidió, llame a su consultorio.")
}
pub const two_step_off_subject: &str = "Se desactivó la verificación en dos pasos";
pub const two_step_off_by_staff: &str = "Su consultorio desactivó la verificación en dos pasos de su cuenta del portal del paciente. \
     Puede volver a activarla en Configuración de la cuenta. Si usted no lo pidió, llame a su consultorio.";
pub const verification_email_subject: &str = "Su código de verificación del portal del paciente";
pub fn verification_email_body(code: &str, minutes: i64) -> String {
    format!(
        "Su código de verificación del portal del paciente es {code}.\n\nVale por {minutes} minutos. \
         No lo comparta: su consultorio nunca se lo pedirá.\nSi usted no acaba de iniciar sesión, cambie su contraseña.\n"
    )
}
pub fn verification_text(code: &str, minutes: i64) -> String {
    format!("Su código de verificación del portal del paciente es {code}. Vale por {minutes} minutos. No lo comparta.")
}
