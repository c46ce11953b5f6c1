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
pub const locked_until_reset: &str =
    "Su cuenta está bloqueada porque se escribieron demasiados códigos de verificación incorrectos. Use ¿Olvidó su contraseña? para restablecerla o llame a su consultorio.";
pub const locked_until_reset_subject: &str = "Su cuenta del portal del paciente está bloqueada";
pub fn locked_until_reset_told(codes: i64) -> String {
    format!("Su cuenta del portal del paciente se bloqueó después de {codes} códigos de verificación incorrectos seguidos. Si no fue usted, alguien podría conocer su contraseña: restablézcala con ¿Olvidó su contraseña? en la página de inicio de sesión o llame a su consultorio para desbloquear la cuenta.")
}
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

// Olvidó su contraseña (§2.2, pasos 1 y 2).
pub const forgot_password_title: &str = "Olvidó su contraseña · Portal del paciente";
pub const forgot_password_heading: &str = "¿Olvidó su contraseña?";
pub const forgot_password_intro: &str =
    "Escriba su nombre de usuario. Le enviaremos por correo un enlace para restablecer su contraseña.";
pub const reset_password_button: &str = "Restablecer la contraseña";
pub const back_to_sign_in: &str = "Volver a iniciar sesión";
pub const check_your_email: &str = "Revise su correo electrónico";
pub const reset_sent_to_account: &str =
    "Enviamos un correo con un enlace para restablecer su contraseña a la dirección de su cuenta. ";
pub fn reset_sent_if_username(typed: &str) -> String {
    format!("Si {typed} es un nombre de usuario de este portal, enviamos un correo con un enlace para restablecer su contraseña a la dirección de esa cuenta. ")
}
pub fn mail_comes_from(sender: &str) -> String {
    format!("Llega de {sender} y puede tardar unos minutos.")
}
pub fn email_comes_from(sender: &str) -> String {
    format!("El correo llega de {sender} y puede tardar unos minutos.")
}
pub fn reset_link_life(minutes: i64) -> String {
    format!("Si no lo ve, revise la carpeta de correo no deseado. El enlace vale por {minutes} minutos.")
}

// Inicio, el aviso de inactividad, página no encontrada.
pub const home_title: &str = "Su portal · Portal del paciente";
pub fn welcome(first_name: &str) -> String {
    format!("Bienvenido(a), {first_name}")
}
pub const signed_in_text: &str = "Inició sesión en su portal del paciente.";
pub const account_settings_link: &str = "Configuración de la cuenta";
pub const sign_out: &str = "Cerrar sesión";
pub fn idle_rule(minutes: u32) -> String {
    format!("Por su seguridad, cerramos su sesión después de {minutes} minutos sin actividad.")
}
pub fn idle_countdown(seconds: u32) -> String {
    let unit = if seconds == 1 { "segundo" } else { "segundos" };
    format!("Cerraremos su sesión en {seconds} {unit} porque no ha tenido actividad.")
}
pub const stay_signed_in: &str = "Seguir con la sesión abierta";
pub const not_found_title: &str = "Página no encontrada · Portal del paciente";
pub const not_found_heading: &str = "Página no encontrada";
pub const not_found_text: &str = "No hay ninguna página en esta dirección. ";
pub const go_to_sign_in: &str = "Ir a iniciar sesión";

// Los mensajes de los validadores compartidos (el navegador y el servidor usan los mismos).
pub fn dob_digits_only(like: &str) -> String {
    format!("Use solo números, por ejemplo {like}.")
}
pub fn dob_year_first(like: &str) -> String {
    format!("Escriba año, mes y día: {like}.")
}
pub const dob_not_eight_digits: &str = "Escriba su fecha de nacimiento con 8 números: AAAAMMDD.";
pub const dob_no_such_date: &str = "Esa fecha no existe.";
pub const dob_in_future: &str = "La fecha de nacimiento no puede ser en el futuro.";
pub const dob_before_1900: &str = "La fecha de nacimiento no puede ser anterior a 1900.";
pub const email_invalid: &str = "Escriba un correo electrónico como nombre@ejemplo.com.";
pub const phone_invalid: &str = "Escriba un número de celular de EE. UU. de 10 dígitos, como (555) 123-4567.";
pub fn code_invalid(digits: usize) -> String {
    format!("Escriba el código de {digits} dígitos que le enviamos.")
}
pub fn password_too_short(min: usize) -> String {
    format!("Use al menos {min} caracteres.")
}
pub fn password_over_max(max: usize) -> String {
    format!("Use {max} caracteres como máximo.")
}
pub const password_has_username: &str = "No incluya su nombre de usuario ni su correo electrónico en la contraseña.";
pub const password_has_birth_date: &str = "No incluya su fecha de nacimiento en la contraseña.";
pub const password_too_guessable: &str =
    "Esa contraseña es muy común o fácil de adivinar. Pruebe con una frase más larga de palabras sin relación.";
pub const passwords_differ: &str = "Las dos contraseñas no coinciden.";
pub const date_of_birth: &str = "Fecha de nacimiento";
pub const dob_hint: &str = "AAAAMMDD, por ejemplo 19850312";
pub const mobile_phone_number: &str = "Número de celular";
pub const email_address: &str = "Correo electrónico";

// Olvidó su nombre de usuario (§2.3).
pub const forgot_username_title: &str = "Olvidó su nombre de usuario · Portal del paciente";
pub const forgot_username_heading: &str = "¿Olvidó su nombre de usuario?";
pub const forgot_username_intro: &str = "Escriba el correo electrónico que tiene su consultorio y su fecha de nacimiento. Le enviaremos por correo su nombre de usuario.";
pub const send_username: &str = "Enviar nombre de usuario";
pub const username_sent: &str = "Si ese correo electrónico y esa fecha de nacimiento coinciden con una cuenta, enviamos a esa dirección el nombre de usuario de cada cuenta que coincide. ";
pub const spam_folder: &str = "Si no lo ve, revise la carpeta de correo no deseado.";

// El asistente para restablecer la contraseña (§2.2, pasos 4 a 8).
pub fn tries_left(n: i64) -> String {
    match n {
        1 => "Le queda 1 intento.".into(),
        n => format!("Le quedan {n} intentos."),
    }
}
/// Las preguntas de seguridad, en el orden de la lista (se guardan en inglés).
pub fn security_question(index: usize) -> String {
    const QUESTIONS: [&str; 6] = [
        "¿Cómo se llamaba su primera mascota?",
        "¿Cómo se llama la calle donde creció?",
        "¿De qué marca era su primer carro?",
        "¿Cuál es el nombre de su primo o prima mayor?",
        "¿Cómo se llamaba su primera escuela?",
        "¿En qué ciudad se conocieron sus padres?",
    ];
    QUESTIONS.get(index).copied().unwrap_or_default().to_string()
}
pub const reset_title: &str = "Restablecer su contraseña · Portal del paciente";
pub const reset_heading: &str = "Restablecer su contraseña";
pub const verify_identity: &str = "Confirme su identidad";
pub const choose_intro: &str = "Antes de que elija una nueva contraseña, necesitamos confirmar que es usted. ¿Cómo prefiere hacerlo?";
pub const answer_question_button: &str = "Responder mi pregunta de seguridad";
pub const send_code_button_choice: &str = "Enviar un código de seguridad a mi celular";
pub const request_new_link: &str = "Pedir un enlace nuevo";
pub const link_no_longer_valid: &str = "Este enlace ya no es válido.";
pub fn link_unknown(minutes: i64) -> String {
    format!("Los enlaces sirven una sola vez, durante {minutes} minutos, y solo sirve el más reciente.")
}
pub fn link_expired(minutes: i64) -> String {
    format!("Los enlaces sirven durante {minutes} minutos, y este es más antiguo.")
}
pub const link_used: &str = "Este enlace ya se usó para restablecer su contraseña.";
pub const link_replaced: &str = "Después de este enlace se envió uno más reciente o se cambió la contraseña; solo sirve el enlace más reciente.";
pub fn ended_wrong_answers(n: i64) -> String {
    format!("Se canceló después de {n} respuestas incorrectas a la fecha de nacimiento y la pregunta de seguridad.")
}
pub fn ended_wrong_numbers(n: i64) -> String {
    format!("Se canceló después de {n} números de celular que no coincidían con el de su cuenta.")
}
pub const wrong_step: &str = "Este paso ya se completó. Vuelva a cargar la página para continuar.";
pub fn no_match(left: i64) -> String {
    format!("La fecha de nacimiento o la respuesta de seguridad no coinciden con nuestros registros. {}", tries_left(left))
}
pub const phone_mismatch: &str = "Ese número no coincide con el número de celular de su cuenta.";
pub fn resend_in(secs: i64) -> String {
    format!("Reenviar el código en {secs} s")
}
pub const no_more_sends: &str = "Ya pidió todos los códigos que permite este enlace. Pida un enlace nuevo.";
pub fn wrong_code(left: i64) -> String {
    format!("Ese código no es correcto. {}", tries_left(left))
}
pub const code_expired: &str = "Ese código ya venció. Envíe un código nuevo.";
pub const method_off: &str = "Esa forma de confirmar su identidad está desactivada. Regrese y elija otra.";
pub const question_intro: &str = "Escriba su fecha de nacimiento y la respuesta a su pregunta de seguridad.";
pub const security_answer: &str = "Respuesta de seguridad";
pub const continue_button: &str = "Continuar";
pub const code_instead: &str = "Mejor enviar un código a mi celular";
pub const question_instead: &str = "Mejor responder mi pregunta de seguridad";
pub const how_to_send: &str = "¿Cómo le enviamos el código?";
pub const by_text_option: &str = "Mensaje de texto";
pub const by_voice_option: &str = "Llamada";
pub fn code_will_go(digits: usize) -> String {
    format!("Enviaremos un código de {digits} dígitos al número de celular de su cuenta. Tarda unos 2 minutos en llegar.")
}
pub const phone_hint: &str = "El número que dio al registrarse, por ejemplo (217) 555-0123.";
pub const send_code: &str = "Enviar código";
pub fn code_sent_to(by: &str, last_four: &str, at: &str) -> String {
    format!("Enviamos un código {by} al (•••) •••-{last_four} a las {at}. Solo sirve el código más reciente.")
}
pub fn code_wait(minutes: i64) -> String {
    format!("Tarda unos 2 minutos en llegar; por favor, espérelo: un código nuevo reemplaza al anterior, aunque todavía no haya llegado. El código vale por {minutes} minutos.")
}
pub const security_code: &str = "Código de seguridad";
pub const check: &str = "Comprobar";
pub const choose_new_password: &str = "Elija una nueva contraseña";
pub const new_password: &str = "Nueva contraseña";
pub const confirm_new_password: &str = "Confirme la nueva contraseña";
pub const save_password: &str = "Guardar contraseña";
pub fn new_password_hint(min: usize) -> String {
    format!("Al menos {min} caracteres. Unas cuantas palabras sin relación funcionan bien. No use su nombre, correo electrónico ni fecha de nacimiento.")
}
pub const resend_code: &str = "Reenviar código";
pub const by_text: &str = "por mensaje de texto";
pub const by_voice_call: &str = "por llamada";

// El segundo paso al iniciar sesión (§2.1).
pub const verify_title: &str = "Escriba su código de verificación · Portal del paciente";
pub const verify_heading: &str = "Escriba su código de verificación";
pub fn two_step_malformed(digits: usize) -> String {
    format!("Escriba el código de {digits} dígitos o uno de sus códigos de respaldo.")
}
pub const two_step_code_expired: &str = "Ese código ya venció. Envíe un código nuevo.";
pub const two_step_ended: &str = "Demasiados códigos incorrectos. Vuelva a iniciar sesión para recibir un código nuevo.";
pub const too_many_codes: &str = "Se enviaron demasiados códigos. Use otra forma de verificar o vuelva a intentarlo más tarde.";
pub const two_step_no_more_sends: &str = "No puede pedir más códigos para este inicio de sesión. Vuelva a iniciar sesión para recibir un código nuevo.";
pub const two_step_too_soon: &str = "Espere a que termine la cuenta regresiva para pedir un código nuevo.";
pub fn app_code_now(digits: usize) -> String {
    format!("Escriba el código de {digits} dígitos que muestra ahora su aplicación de autenticación.")
}
pub fn no_code_destination(texted: bool) -> String {
    let how = if texted { "por mensaje de texto" } else { "por correo electrónico" };
    format!("No pudimos enviar un código {how}: su cuenta no tiene a dónde enviarlo. Use uno de sus códigos de respaldo o llame a su consultorio.")
}
pub fn code_went(digits: usize, how: &str, at: &str, minutes: i64) -> String {
    format!("Enviamos un código de {digits} dígitos {how} a las {at}. Vale por {minutes} minutos, y solo sirve el código más reciente.")
}
pub fn by_text_to(to: &str) -> String {
    format!("por mensaje de texto al {to}")
}
pub fn by_email_to(to: &str) -> String {
    format!("por correo electrónico a {to}")
}
pub const from_your_app: &str = "desde su aplicación de autenticación";
pub const sign_in_again: &str = "Volver a iniciar sesión";
pub const verification_code: &str = "Código de verificación";
pub const backup_code_hint: &str = "O uno de sus códigos de respaldo, como abcde-23456.";
pub fn remember_device(days: i64) -> String {
    format!("Recordar este dispositivo durante {days} días")
}
pub const verify_button: &str = "Verificar";
pub const cancel_to_sign_in: &str = "Cancelar y volver a iniciar sesión";

// Fechas que lee el paciente (zona horaria del consultorio): "3 mar 2026", "3 mar 2026, 10:47".
const MONTHS: [&str; 12] = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];
pub fn date(year: i16, month: i8, day: i8) -> String {
    let name = MONTHS.get(usize::try_from(month - 1).unwrap_or(0)).copied().unwrap_or_default();
    format!("{day} {name} {year}")
}
pub fn date_time(year: i16, month: i8, day: i8, clock: &str) -> String {
    format!("{}, {clock}", date(year, month, day))
}

// Registro (§2.4).
pub const register_title: &str = "Cree su cuenta · Portal del paciente";
pub const register_heading: &str = "Cree su cuenta";
pub fn register_welcome(first_name: &str) -> String {
    format!("Le damos la bienvenida, {first_name}. Confirme quién es y elija cómo iniciará sesión.")
}
pub const already_have_account: &str = "¿Ya tiene una cuenta? ";
pub const register_username_hint: &str = "Su correo electrónico u otro nombre que usted elija. Sin espacios.";
pub const confirm_password: &str = "Confirme la contraseña";
pub const security_question_label: &str = "Pregunta de seguridad";
pub const phone_for_codes: &str = "Para enviarle códigos de seguridad si olvida su contraseña.";
pub const create_account: &str = "Crear cuenta";
pub const invitation_no_longer_valid: &str = "Esta invitación ya no es válida. Pida a su consultorio que le envíe una nueva.";
pub const already_enrolled: &str = "Ya tiene una cuenta del portal. Inicie sesión, o use ¿Olvidó su contraseña? si no puede.";
pub const username_taken: &str = "Ese nombre de usuario ya está en uso.";
pub const username_look_alike: &str = "Ese nombre de usuario se ve igual que uno que ya está en uso. Elija otro.";
pub const choose_question: &str = "Elija una pregunta de seguridad de la lista.";
pub const answer_missing: &str = "Escriba una respuesta de seguridad.";

// Configuración de la cuenta (§2.5).
pub const settings_title: &str = "Configuración de la cuenta · Portal del paciente";
pub const back_to_portal: &str = "Volver a su portal";
pub const change_password: &str = "Cambiar la contraseña";
pub const current_password: &str = "Contraseña actual";
pub const change_question: &str = "Cambiar la pregunta de seguridad";
pub const save_question: &str = "Guardar pregunta de seguridad";
pub const change_mobile: &str = "Cambiar el número de celular";
pub const save_mobile: &str = "Guardar número de celular";
pub const password_changed: &str = "Se cambió su contraseña. Se cerraron sus sesiones en todos los demás lugares.";
pub const question_changed: &str = "Se cambió su pregunta de seguridad.";
pub const mobile_changed: &str = "Se cambió su número de celular.";
pub const setup_code_sent: &str = "Le enviamos un código. Escríbalo junto con su contraseña actual y elija Activar.";
pub const two_step_is_on: &str = "La verificación en dos pasos está activada.";
pub const two_step_is_off: &str = "La verificación en dos pasos está desactivada.";
pub const passkey_removed: &str = "Se eliminó la llave de acceso. Ya no sirve para iniciar sesión.";
pub const wrong_current_password: &str = "La contraseña actual que escribió no es correcta.";
pub const wrong_app_code: &str = "Ese código no es correcto. Escriba el código que muestra ahora su aplicación de autenticación.";
pub fn enter_code(digits: usize) -> String {
    format!("Escriba el código de {digits} dígitos.")
}
pub const send_code_first: &str = "Elija Mensaje de texto o Correo electrónico y luego Enviar código; escriba el código que le enviemos.";
pub const setup_too_soon: &str = "Espere un minuto antes de pedir otro código.";
pub const no_mobile: &str = "Su cuenta no tiene número de celular. Agregue uno más abajo o elija otra forma.";
pub const no_email: &str = "Su cuenta no tiene correo electrónico. Elija otra forma.";
pub const app_makes_codes: &str = "Su aplicación de autenticación crea sus propios códigos: escriba el que muestra.";
pub const already_on: &str = "La verificación en dos pasos ya está activada.";
pub const already_off: &str = "La verificación en dos pasos ya está desactivada.";
// La sección "Verificación en dos pasos" de la configuración.
pub const two_step_heading: &str = "Verificación en dos pasos";
pub const backup_codes_heading: &str = "Códigos de respaldo";
pub fn backup_codes_keep(n: usize) -> String {
    format!(
        "Guarde estos {n} códigos en un lugar seguro, como un administrador de contraseñas o en papel. \
         Cada uno sirve una vez, en lugar de un código de verificación. Solo se muestran ahora."
    )
}
pub fn two_step_on_line(how: &str) -> String {
    format!("Activada: después de su contraseña, escribe un código {how}.")
}
pub fn two_step_off_line(digits: usize) -> String {
    format!("Desactivada. Si la activa, al iniciar sesión también le pediremos un código de {digits} dígitos, así nadie puede entrar a su cuenta solo con una contraseña robada.")
}
pub const send_codes_by: &str = "Enviar códigos por";
pub const codes_by_text: &str = "Mensaje de texto";
pub const codes_by_email: &str = "Correo electrónico";
pub const codes_by_app: &str = "Aplicación de autenticación";
pub const scan_qr: &str = "Escanee este código QR con una aplicación de autenticación (como Google Authenticator, Microsoft Authenticator o 1Password), o escriba la clave en ella.";
pub const qr_label: &str = "Código QR de su clave de autenticación";
pub const key_label: &str = "Clave: ";
pub const turn_on: &str = "Activar";
pub const turn_off: &str = "Desactivar";
// La sección "Llaves de acceso" de la configuración, y los avisos de public/passkeys.js.
pub const passkeys_heading: &str = "Llaves de acceso";
pub const no_passkeys: &str = "Todavía no tiene llaves de acceso. Una llave de acceso le permite entrar con el bloqueo de pantalla de su teléfono o computadora: no tiene que recordar una contraseña.";
pub fn passkey_dates(added: &str, last_used: Option<&str>) -> String {
    match last_used {
        Some(t) => format!("Agregada el {added}, usada por última vez el {t}"),
        None => format!("Agregada el {added}, todavía sin usar"),
    }
}
pub const remove: &str = "Eliminar";
pub const passkey_name: &str = "Nombre de la llave de acceso";
pub const passkey_name_hint: &str = "Opcional, por ejemplo \"Mi teléfono\".";
pub const add_passkey_needs_js: &str = "Para agregar una llave de acceso se necesita JavaScript, que está desactivado en este navegador.";
pub const add_passkey: &str = "Agregar una llave de acceso";
pub const passkey_added: &str = "Se agregó la llave de acceso. Ya puede iniciar sesión con ella.";
pub const passkey_prompt_closed: &str = "Se cerró la ventana de la llave de acceso o se acabó el tiempo. Inténtelo de nuevo.";
pub const passkey_bad_address: &str = "Las llaves de acceso no se pueden usar en esta dirección.";
pub const passkey_failed: &str = "La llave de acceso no funcionó. Inténtelo de nuevo.";
pub const browser_cannot_make_passkeys: &str = "Este navegador no puede crear llaves de acceso.";
pub const browser_cannot_use_passkeys: &str = "Este navegador no puede usar llaves de acceso. Inicie sesión con su contraseña arriba.";
pub const passkey_expired: &str = "Esa solicitud de llave de acceso venció o ya se usó. Inténtelo de nuevo.";
pub const passkey_unknown: &str =
    "Esa llave de acceso no está configurada para este portal. Inicie sesión con su contraseña y luego agregue una llave de acceso en Configuración de la cuenta.";
pub const passkey_wrong_site: &str = "Esa llave de acceso se creó para otro sitio web, así que no se puede usar aquí.";
pub const passkey_cloned: &str =
    "Esa llave de acceso parece copiada (su contador retrocedió), así que se rechazó. Inicie sesión con su contraseña y elimínela.";
pub const passkey_refused: &str = "No se pudo comprobar la llave de acceso. Inténtelo de nuevo, o inicie sesión con su contraseña.";
pub const passkey_already_added: &str = "Esta llave de acceso ya está agregada a su cuenta.";
pub fn passkey_bad_name(max: usize) -> String {
    format!("El nombre de una llave de acceso puede tener como máximo {max} caracteres, sin caracteres de control.")
}
pub const passkey_not_yours: &str = "Esa llave de acceso ya no está en su cuenta.";

// Mensajes: correos, textos y llamadas (SPEC §4). Solo los arma el servidor.
use super::Setting;

fn setting(s: Setting) -> &'static str {
    match s {
        Setting::Password => "la contraseña",
        Setting::SecurityQuestion => "la pregunta de seguridad",
        Setting::MobileNumber => "el número de celular",
        Setting::TwoStep => "la configuración de verificación en dos pasos",
        Setting::Passkeys => "la lista de llaves de acceso",
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
// Familia y cuidadores (SPEC §2.4, §2.7).
pub const access_code: &str = "Código de acceso";
pub const access_code_hint: &str = "Las 6 letras y números que su consultorio le dio en persona o por teléfono.";
pub const access_code_missing: &str = "Escriba el código de acceso que le dio su consultorio.";
pub const access_code_shape: &str = "Un código de acceso tiene 6 letras y números, como K7P4QZ.";
pub const dob_or_code_mismatch: &str = "La fecha de nacimiento o el código de acceso no coincide con nuestros registros.";
pub const under_thirteen: &str = "Los pacientes menores de 13 años tienen acceso a través de su madre, padre o tutor.";
pub const already_have_account_link: &str = "¿Ya tiene una cuenta?";
pub const link_heading: &str = "Vincular a su cuenta";
pub const link_button: &str = "Vincular a mi cuenta";
pub const link_intro: &str = "Inicie sesión con la cuenta que ya tiene y estos expedientes se agregarán a ella.";
pub const your_dob: &str = "Su fecha de nacimiento";
pub const records_you_can_see: &str = "Expedientes que puede ver";
pub const no_records_shared: &str = "Por ahora nadie comparte expedientes con usted. Si esperaba ver los de alguien, pídaselo a esa persona o llame al consultorio.";
pub const rel_parent: &str = "Madre, padre o tutor";
pub const rel_spouse: &str = "Cónyuge o pareja";
pub const rel_adult_child: &str = "Hijo o hija adulto";
pub const rel_caregiver: &str = "Cuidador";
pub const rel_other: &str = "Otra";
pub const to_you_parent: &str = "su hijo o hija";
pub const to_you_spouse: &str = "su cónyuge o pareja";
pub const to_you_adult_child: &str = "su madre o padre";
pub const to_you_caregiver: &str = "a su cuidado";
pub const to_you_other: &str = "compartido con usted";
pub const to_you_own: &str = "el suyo";
pub fn chart_heading(full_name: &str) -> String {
    format!("Expediente de {full_name}")
}
pub fn practice_contact(name: &str, phone: &str) -> String {
    format!("¿Preguntas sobre este expediente? Llame a {name} al {phone}.")
}
pub fn family_register_welcome(name: &str, patient: &str) -> String {
    format!("Bienvenido, {name}. Escriba la fecha de nacimiento de {patient} y el código de acceso que {patient} le dio, y luego elija cómo iniciará sesión.")
}
pub fn no_longer_shared_18(first_name: &str) -> String {
    format!("El expediente de {first_name} ya no se comparte con usted: {first_name} cumplió 18 años y puede tener su propia cuenta.")
}
pub fn family_invitation_subject(patient_first: &str, practice: &str) -> String {
    format!("El expediente de {patient_first} en {practice}")
}
pub fn family_invitation_body(name: &str, patient_first: &str, days: i64, link: &str) -> String {
    format!(
        "Hola, {name}:\n\n{patient_first} le dio acceso a su expediente en el portal del paciente.\n\
         Abra este enlace dentro de {days} días. Necesitará la fecha de nacimiento de {patient_first} y el código de acceso que le dieron:\n\n\
         Crear su cuenta: {link}\n\nSi ya tiene una cuenta, la página le permite agregar este expediente a ella.\n\
         Si no esperaba este correo, puede ignorarlo.\n"
    )
}
pub fn access_given_body(patient_first: &str, name: &str, relationship: &str) -> String {
    format!("Hola, {patient_first}:\n\n{name} ({relationship}) ahora puede ver su expediente en el portal del paciente.\nSi no lo esperaba, quite su acceso en Configuración de la cuenta o llame a su consultorio.\n")
}
pub fn access_ended_body(first: &str, patient: &str) -> String {
    format!("Hola, {first}:\n\nYa no puede ver el expediente de {patient} en el portal del paciente.\nSi cree que es un error, llame a su consultorio.\n")
}
pub const access_given_subject: &str = "Alguien ahora puede ver su expediente";
pub const access_ended_subject: &str = "Terminó su acceso al expediente de un paciente";

// "Family and caregivers" in /settings (§2.7).
pub const family_heading: &str = "Familiares y cuidadores";
pub const family_intro: &str =
    "Invite a alguien a ver su expediente con su propio usuario. También necesitará un código de acceso: entrégueselo usted. Nunca se envía por correo.";
pub const person_name: &str = "Nombre";
pub const email_label: &str = "Correo electrónico";
pub const relationship_label: &str = "Parentesco";
pub const choose_relationship: &str = "Elija uno";
pub const invite: &str = "Invitar";
pub fn code_to_give(name: &str, code: &str) -> String {
    format!("Entregue este código de acceso a {name}: {code}")
}
pub fn code_to_give_hint(days: i64) -> String {
    format!("Solo se muestra ahora. La invitación y este código sirven durante {days} días.")
}
pub const people_heading: &str = "Personas que pueden ver su expediente";
pub const nobody_else_sees: &str = "Nadie más puede ver su expediente.";
pub const status_invited: &str = "Invitación pendiente";
pub const status_active: &str = "Con acceso";
pub const minors_ask_practice: &str = "Para cambiar quién puede ver su expediente, llame a su consultorio.";
pub const shared_with_you_heading: &str = "Expedientes compartidos con usted";
pub const access_removed: &str = "Se retiró el acceso. Le avisamos por correo electrónico.";
pub const access_left: &str = "Ya no ve ese expediente.";
pub const person_name_missing: &str = "Escriba el nombre de la persona (100 caracteres como máximo).";
pub const relationship_missing: &str = "Elija el parentesco.";
pub const parent_only_minor: &str = "«Madre, padre o tutor» es solo para pacientes menores de 18 años. Elija otro parentesco.";
pub const family_adults_only: &str = "Solo un paciente adulto puede invitar a familiares o cuidadores. Llame a su consultorio.";
pub const no_such_person: &str = "Esa persona ya no tiene acceso.";
pub fn too_many_invitations(max: i64) -> String {
    format!("Puede enviar {max} invitaciones al día. Vuelva a intentarlo mañana o llame a su consultorio.")
}

// "Text me a code" on registration (§2.4).
pub const text_me_a_code: &str = "Enviarme un código por texto";
pub fn text_code_offer(masked: &str, digits: usize) -> String {
    format!("¿No tiene código de acceso? Podemos enviarle un código de {digits} dígitos por mensaje de texto al {masked}. Escríbalo en Código de acceso.")
}
pub fn registration_code_sent(masked: &str, at: &str, minutes: i64) -> String {
    format!("Enviamos un código por mensaje de texto al {masked} a las {at}. Escríbalo en Código de acceso. Sirve durante {minutes} minutos y solo vale el código más reciente.")
}
pub fn registration_code_text(code: &str, minutes: i64) -> String {
    format!("Su código de registro del Portal del Paciente es {code}. Sirve durante {minutes} minutos. No lo comparta con nadie.")
}
pub const no_more_registration_codes: &str = "Ya pidió todos los códigos que permite esta invitación. Use el código de acceso que le dio su consultorio.";
pub const no_registration_code: &str = "Esta invitación no puede enviar un código por mensaje de texto. Use el código de acceso que le dio su consultorio.";

pub fn sign_in_again_for_change(minutes: i64) -> String {
    format!("Para este cambio, confirme que es usted con la verificación en dos pasos: cierre la sesión, vuelva a iniciarla con su código y haga el cambio en los {minutes} minutos siguientes.")
}

// Staff's "Remove passkeys" (§3, §5), told to the patient.
pub const passkeys_removed_subject: &str = "Se eliminaron sus llaves de acceso";
pub const passkeys_removed_by_staff: &str = "Su consultorio eliminó las llaves de acceso de su cuenta del portal del paciente y cerró todas sus sesiones. \
     Inicie sesión con su contraseña; puede volver a agregar una llave de acceso en la configuración de la cuenta. Si usted no lo pidió, llame a su consultorio.";
